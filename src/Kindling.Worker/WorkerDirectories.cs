using System.Runtime.InteropServices;
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
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public WorkerDirectories(string dataDirectory, string? cacheDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        Data = Path.GetFullPath(dataDirectory);
        Worker = cacheDirectory is null ? Path.Combine(Data, "worker") : Path.GetFullPath(cacheDirectory);
        Code = Path.Combine(Worker, "code");
        Opt = Path.Combine(Worker, "opt");
        Sandbox = Path.Combine(Worker, "sandbox");
        Logs = Path.Combine(Data, "logs");
    }

    /// <summary>The data directory.</summary>
    public string Data { get; }

    /// <summary><c>&lt;data&gt;/worker</c>.</summary>
    public string Worker { get; }

    /// <summary>Unpacked function code, one directory per code id.</summary>
    public string Code { get; }

    /// <summary>Merged layers, one directory per ordered list of layer code ids.</summary>
    public string Opt { get; }

    /// <summary>The sandbox launcher's default state directory.</summary>
    public string Sandbox { get; }

    /// <summary>Log streams, one directory per function.</summary>
    public string Logs { get; }

    /// <summary>Creates the directories and lets the sandboxes' host group search the path to them.</summary>
    public void Prepare(BubblewrapLauncherOptions sandbox)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        foreach (var directory in new[] { Data, Worker, Code, Opt, Logs })
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
            ? new[] { Data, Worker, Code, Opt }
            : new[] { Worker, Code, Opt };
        foreach (var directory in reachable)
        {
            GrantGroupSearch(directory, group);
        }
    }

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
