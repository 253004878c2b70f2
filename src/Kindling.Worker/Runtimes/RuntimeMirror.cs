using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Kindling.Worker.Runtimes;

/// <summary>
/// Copies each runtime interface client into the worker's cache (<c>worker/runtimes/&lt;family&gt;-&lt;stamp&gt;</c>)
/// before its first environment: the sandboxes' unprivileged user can reach the cache whatever the permissions of
/// the server's installation directory, and a server rebuilt while running never changes a live environment's
/// <c>/var/runtime</c>. The stamp hashes the files' names, sizes and times, so a new build gets a new copy.
/// </summary>
internal sealed class RuntimeMirror
{
    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Executable = Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly string _root;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _copies = new(StringComparer.Ordinal);

    public RuntimeMirror(WorkerDirectories directories) => _root = directories.Runtimes;

    /// <summary>The host directory to bind at <c>/var/runtime</c> for the runtime.</summary>
    public Task<string> GetAsync(ManagedRuntime runtime) =>
        _copies.GetOrAdd(runtime.RuntimeDirectory, source => new Lazy<Task<string>>(() => Task.Run(() => Copy(runtime.Family, source)))).Value;

    private string Copy(string family, string source)
    {
        var files = Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var stamp = new StringBuilder();
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            stamp.Append(Path.GetRelativePath(source, file)).Append('\0').Append(info.Length).Append('\0').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stamp.ToString())))[..16];
        var target = Path.Combine(_root, family + "-" + hash);
        if (Directory.Exists(target))
        {
            return target;
        }

        var temporary = Path.Combine(_root, ".tmp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temporary, Executable);
        foreach (var file in files)
        {
            var destination = Path.Combine(temporary, Path.GetRelativePath(source, file));
            var directory = Path.GetDirectoryName(destination)!;
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory, Executable);
            }

            File.Copy(file, destination);
            var executable = (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0;
            File.SetUnixFileMode(destination, executable ? Executable : Readable);
        }

        try
        {
            Directory.Move(temporary, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            // Another server process sharing the cache copied the same build first.
            Directory.Delete(temporary, recursive: true);
        }

        return target;
    }
}
