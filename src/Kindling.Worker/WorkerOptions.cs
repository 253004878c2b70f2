using Kindling.Sandbox;

namespace Kindling.Worker;

/// <summary>How the worker runs execution environments on this host.</summary>
public sealed record WorkerOptions
{
    /// <summary>
    /// Kindling's data directory. The worker keeps its unpacked code cache under <c>worker/code</c> and
    /// <c>worker/opt</c>, its sandbox state under <c>worker/sandbox</c>, and the functions' log streams under
    /// <c>logs</c>.
    /// </summary>
    public required string DataDirectory { get; init; }

    /// <summary>The region the server presents (the default for ARNs the worker writes in its own log lines).</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>
    /// Where unpacked code, layers and sandbox state live; the sandboxes' unprivileged host user must be able to
    /// traverse every directory above it. Defaults to <c>&lt;DataDirectory&gt;/worker</c>, or to a directory under
    /// <c>/var/lib/kindling</c> when a directory above the data directory is private.
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>The account id the server presents.</summary>
    public string AccountId { get; init; } = "000000000000";

    /// <summary>
    /// The sandbox launcher's options; null uses the defaults with the state directory at
    /// <c>&lt;DataDirectory&gt;/worker/sandbox</c>.
    /// </summary>
    public BubblewrapLauncherOptions? Sandbox { get; init; }

    /// <summary>
    /// Sandboxes kept started ahead of cold starts per recently launched shape (<see
    /// cref="BubblewrapLauncherOptions.PrestartedPerShape"/>), when <see cref="Sandbox"/> is null; 0 starts each at
    /// its cold start.
    /// </summary>
    public int PrestartedSandboxes { get; init; }

    /// <summary>Longest Init phase before it counts as timed out (Lambda: 10 s).</summary>
    public TimeSpan InitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time between SIGTERM and SIGKILL in the Shutdown phase (Lambda: at most 2 s).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
