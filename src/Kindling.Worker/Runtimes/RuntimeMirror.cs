using System.Collections.Concurrent;
using System.Diagnostics;
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
    /// <remarks>
    /// Python's copy is per interpreter: its modules are compiled there by that interpreter, since the sandbox
    /// cannot write <c>__pycache__</c> into the read-only <c>/var/runtime</c> (about 4 ms per cold start otherwise).
    /// </remarks>
    public Task<string> GetAsync(ManagedRuntime runtime)
    {
        var compiler = runtime.Family == "python" ? runtime.Interpreter : null;
        var key = string.Concat(runtime.RuntimeDirectory, "\n", compiler);
        var name = compiler is null ? runtime.Family : runtime.Identifier;
        return _copies.GetOrAdd(key, _ => new Lazy<Task<string>>(() => Task.Run(() => CopyAsync(name, runtime.RuntimeDirectory, compiler)))).Value;
    }

    private async Task<string> CopyAsync(string family, string source, string? pythonCompiler)
    {
        var files = Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/__pycache__/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
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

        if (pythonCompiler is not null)
        {
            await CompilePythonAsync(pythonCompiler, temporary);
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

    /// <summary>Byte-compiles the copy as it will be seen (<c>/var/runtime</c>, in tracebacks too); best effort.</summary>
    private static async Task CompilePythonAsync(string interpreter, string directory)
    {
        using var process = Process.Start(new ProcessStartInfo(interpreter)
        {
            ArgumentList = { "-m", "compileall", "-q", "-d", "/var/runtime", directory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        });
        if (process is null)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        await Task.WhenAll(output, errors);
        foreach (var file in Directory.EnumerateFiles(directory, "*.pyc", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(file, Readable);
        }

        foreach (var cache in Directory.EnumerateDirectories(directory, "__pycache__", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(cache, Executable);
        }
    }
}
