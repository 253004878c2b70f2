using System.Net.Sockets;

namespace Kindling.Sandbox;

/// <summary>
/// A running execution environment. Dispose it (kills its processes, removes its control groups and /tmp, closes
/// its listener): nothing else ends it.
/// </summary>
public interface ISandbox : IAsyncDisposable
{
    /// <summary>
    /// The spec's <see cref="SandboxSpec.Id"/>, or for a pre-started sandbox the id it was started under (<c>kp-…</c>),
    /// which names its control groups and /tmp volume.
    /// </summary>
    string Id { get; }

    /// <summary>Host pid of the sandbox's pid 1 (bubblewrap's init, parent of the command).</summary>
    int Pid { get; }

    /// <summary>
    /// A listening TCP socket bound to 127.0.0.1:<see cref="SandboxSpec.RuntimeApiPort"/> inside the sandbox's
    /// own network namespace, open before the command started (no connection is ever refused). Accept from any
    /// thread; the sandbox owns it and closes it on dispose.
    /// </summary>
    Socket RuntimeApiListener { get; }

    /// <summary>
    /// The command's stdout and stderr (one pipe, in write order), and bubblewrap's own errors. Keep reading it:
    /// with 128 KiB unread the command's writes block. Ends when every process of the sandbox has exited; a read
    /// pending when the sandbox is disposed gets the rest and then end of stream.
    /// </summary>
    Stream Output { get; }

    /// <summary>
    /// Bytes the sandbox's processes have written to <see cref="Output"/> so far, read or not: a reader that has
    /// consumed this many has everything written before the call.
    /// </summary>
    long OutputBytesWritten { get; }

    /// <summary>Completes when the command has exited (or was killed); never faults.</summary>
    Task<SandboxExit> Exited { get; }

    /// <summary>Current memory charge in bytes (anonymous memory and page cache, as the kernel counts it).</summary>
    long MemoryUsageBytes { get; }

    /// <summary>Peak of <see cref="MemoryUsageBytes"/> since launch (Lambda's "Max Memory Used").</summary>
    long MaxMemoryUsageBytes { get; }

    /// <summary>How many processes of the sandbox the kernel killed for lack of memory so far.</summary>
    long OomKillCount { get; }

    /// <summary>
    /// Opens a TCP connection to <c>127.0.0.1:<paramref name="port"/></c> inside the sandbox's network namespace
    /// (a listener a process of the sandbox opened, e.g. an extension's telemetry endpoint at
    /// <c>sandbox.localdomain</c>). The socket is created in the namespace on the launcher's thread; connecting
    /// and using it happen from any thread. The caller owns the socket.
    /// </summary>
    ValueTask<Socket> ConnectAsync(int port, CancellationToken cancellationToken);

    /// <summary>Changes the sandbox's CPU share (in CPUs), e.g. from Init's to the function's.</summary>
    void SetCpuLimit(double cpuCount);

    /// <summary>Stops every process of the sandbox; returns once all are frozen.</summary>
    ValueTask FreezeAsync(CancellationToken cancellationToken);

    /// <summary>Resumes a frozen sandbox; returns once all processes may run.</summary>
    ValueTask ThawAsync(CancellationToken cancellationToken);

    /// <summary>SIGKILLs every process of the sandbox (frozen or not) and returns once they are gone.</summary>
    ValueTask KillAsync();
}
