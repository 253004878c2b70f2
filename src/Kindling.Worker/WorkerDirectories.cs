using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Kindling.Sandbox;
using Kindling.Worker.Interop;

namespace Kindling.Worker;

/// <summary>
/// The worker's directories under the data directory. The sandboxes run as an unprivileged host user that must
/// reach the code it binds at <c>/var/task</c> and <c>/opt</c>, and bubblewrap's files in the sandbox state
/// directory; the data directory itself is private (0700). So when the worker is root and the launcher drops to
/// its own host group, the path down to the worker's directories is given to that group, searchable only
/// (not listable, nothing readable): other host users still cannot enter the data directory.
/// </summary>
internal sealed class WorkerDirectories
{
    /// <summary>
    /// Where the cache goes when no directory above the data directory may be traversed by other users (root's
    /// default data directory is under <c>/root</c>, mode 0700): one subdirectory per data directory.
    /// </summary>
    public const string FallbackRoot = "/var/lib/kindling";

    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode TraversableDirectory = PrivateDirectory | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <param name="dataDirectory">The server's data directory.</param>
    /// <param name="cacheDirectory">An explicit cache directory; by default <c>&lt;data&gt;/worker</c>, or under
    /// <see cref="FallbackRoot"/> when a directory above the data directory is private. Nothing is created here.</param>
    /// <param name="parentModes">Reads a directory's mode (injectable for tests); null when it does not exist.</param>
    public WorkerDirectories(string dataDirectory, string? cacheDirectory = null, Func<string, UnixFileMode?>? parentModes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        Data = Path.GetFullPath(dataDirectory);
        Worker = cacheDirectory is not null
            ? Path.GetFullPath(cacheDirectory)
            : HasPrivateParent(Data, parentModes ?? ReadMode)
                ? Path.Combine(FallbackRoot, "worker-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Data)))[..12])
                : Path.Combine(Data, "worker");
        Code = Path.Combine(Worker, "code");
        Opt = Path.Combine(Worker, "opt");
        Sandbox = Path.Combine(Worker, "sandbox");
        Runtimes = Path.Combine(Worker, "runtimes");
        Logs = Path.Combine(Data, "logs");
    }

    /// <summary>The data directory.</summary>
    public string Data { get; }

    /// <summary>The cache: <c>&lt;data&gt;/worker</c>, or its fallback (see the constructor).</summary>
    public string Worker { get; }

    /// <summary>Unpacked function code, one directory per code id.</summary>
    public string Code { get; }

    /// <summary>Merged layers, one directory per ordered list of layer code ids.</summary>
    public string Opt { get; }

    /// <summary>Copies of the runtime interface clients (bound at <c>/var/runtime</c>).</summary>
    public string Runtimes { get; }

    /// <summary>The sandbox launcher's default state directory.</summary>
    public string Sandbox { get; }

    /// <summary>Log streams, one directory per function.</summary>
    public string Logs { get; }

    /// <summary>Creates the directories and lets the sandboxes' host group search the path to them.</summary>
    public void Prepare(BubblewrapLauncherOptions sandbox)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        if (Path.GetDirectoryName(Worker) == FallbackRoot)
        {
            Directory.CreateDirectory(FallbackRoot, TraversableDirectory);
            File.SetUnixFileMode(FallbackRoot, TraversableDirectory);
        }

        foreach (var directory in new[] { Data, Worker, Code, Opt, Runtimes, Logs })
        {
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory, PrivateDirectory);
            }
        }

        if (!Environment.IsPrivilegedProcess || sandbox.HostUserId is null)
        {
            return;
        }

        var group = sandbox.HostGroupId ?? sandbox.HostUserId.Value;
        // The sandbox's host user only needs to traverse the directories the code lives under.
        var reachable = Worker.StartsWith(Data + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? new[] { Data, Worker, Code, Opt, Runtimes }
            : new[] { Worker, Code, Opt, Runtimes };
        foreach (var directory in reachable)
        {
            GrantGroupSearch(directory, group);
        }
    }

    private static bool HasPrivateParent(string data, Func<string, UnixFileMode?> modes)
    {
        for (var parent = Path.GetDirectoryName(data); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (modes(parent) is { } mode && (mode & UnixFileMode.OtherExecute) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static UnixFileMode? ReadMode(string directory) =>
        Directory.Exists(directory) ? File.GetUnixFileMode(directory) : null;

    private static void GrantGroupSearch(string directory, int group)
    {
        if (Libc.chown(directory, -1, group) != 0)
        {
            throw new IOException($"chown {directory}: errno {Marshal.GetLastPInvokeError()}");
        }

        var mode = File.GetUnixFileMode(directory);
        File.SetUnixFileMode(directory, (mode | UnixFileMode.GroupExecute) & ~(UnixFileMode.GroupRead | UnixFileMode.GroupWrite));
    }
}
