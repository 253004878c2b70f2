using System.Buffers;
using System.Globalization;
using Kindling.Invocation.Environments;
using Kindling.Sandbox;
using Kindling.Worker.Interop;
using Kindling.Worker.Logs;
using Kindling.Worker.RuntimeApi;
using Kindling.Worker.Telemetry;
using Microsoft.Extensions.Logging;

namespace Kindling.Worker.Environments;

/// <summary>
/// One runtime process of an environment: its sandbox, its Runtime API session and listener registration, the
/// pump moving its output into the log stream, and the watch that reports its exit to the session. An
/// environment has one at a time (a second only when an Init that timed out is retried).
/// </summary>
internal sealed class RuntimeInstance : IAsyncDisposable
{
    private const int OutputBufferBytes = 16 * 1024;

    /// <summary>SIGUSR1: the extensions launcher kills the runtime on it.</summary>
    private const int SigUsr1 = 10;

    /// <summary>How long a sandbox whose runtime and extensions are done may take to exit by itself.</summary>
    private static readonly TimeSpan s_exitGrace = TimeSpan.FromMilliseconds(100);

    private readonly ISandbox _sandbox;
    private readonly RuntimeApiRegistration _registration;
    private readonly ILogger _logger;
    private readonly Task _exitWatch;
    private long _loggedBytes;
    private TaskCompletionSource? _logged;
    private int _disposed;

    private RuntimeInstance(
        ISandbox sandbox, RuntimeSession session, RuntimeApiTransport transport, LogStreamWriter log, TimeProvider time, ILogger logger)
    {
        _sandbox = sandbox;
        _logger = logger;
        Session = session;
        Telemetry = new TelemetryHub(
            sandbox.ConnectAsync, time, logger, session.EnvironmentId,
            string.Equals(session.Function?.LogFormat, "JSON", StringComparison.OrdinalIgnoreCase));
        session.Telemetry = Telemetry;
        var oomKillsAtStart = sandbox.OomKillCount;
        session.RuntimeExitMapper = status => SandboxExit.FromStatus(status, status == 128 + 9 && sandbox.OomKillCount > oomKillsAtStart);
        log.Observer = Telemetry.PublishLine;
        _registration = transport.Register(sandbox.RuntimeApiListener, session);
        OutputCompleted = PumpOutputAsync(sandbox.Output, log);
        _exitWatch = WatchExitAsync();
    }

    public RuntimeSession Session { get; }

    /// <summary>The Telemetry and Logs APIs' subscribers of this launch.</summary>
    public TelemetryHub Telemetry { get; }

    /// <summary>Whether the runtime runs under the extensions launcher (external extensions).</summary>
    public bool HasExternalExtensions => Session.Extensions.HasExternal;

    public Task<SandboxExit> Exited => _sandbox.Exited;

    /// <summary>Completes once the runtime's output has ended (every process of the sandbox has exited) and is logged.</summary>
    public Task OutputCompleted { get; }

    /// <summary>Peak memory of the sandbox in bytes.</summary>
    public long MaxMemoryUsageBytes => _sandbox.MaxMemoryUsageBytes;

    public static async Task<RuntimeInstance> LaunchAsync(
        ISandboxLauncher launcher, SandboxSpec spec, RuntimeSession session, RuntimeApiTransport transport, LogStreamWriter log,
        TimeProvider time, ILogger logger, Action? started, CancellationToken cancellationToken)
    {
        ISandbox sandbox;
        try
        {
            sandbox = await launcher.LaunchAsync(spec, cancellationToken);
        }
        catch (Exception exception) when (exception is SandboxLaunchException or ArgumentException)
        {
            WorkerLog.LaunchFailed(logger, session.EnvironmentId, exception);
            throw new EnvironmentLaunchException($"The sandbox of environment {session.EnvironmentId} could not be started: {exception.Message}", exception);
        }

        started?.Invoke();
        return new RuntimeInstance(sandbox, session, transport, log, time, logger);
    }

    public ValueTask FreezeAsync(CancellationToken cancellationToken) => _sandbox.FreezeAsync(cancellationToken);

    /// <summary>Sets the sandbox's CPU share; nothing to do once the sandbox is gone.</summary>
    public void SetCpuLimit(double cpuCount)
    {
        try
        {
            _sandbox.SetCpuLimit(cpuCount);
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            WorkerLog.CpuLimitFailed(_logger, Session.EnvironmentId, exception);
        }
    }

    public ValueTask ThawAsync(CancellationToken cancellationToken) => _sandbox.ThawAsync(cancellationToken);

    public ValueTask KillAsync() => _sandbox.KillAsync();

    /// <summary>
    /// Kills the runtime process alone (its extensions live on to get their SHUTDOWN event): the extensions
    /// launcher kills its child on SIGUSR1. Without extensions, kills the sandbox.
    /// </summary>
    public async ValueTask KillRuntimeAsync()
    {
        if (!HasExternalExtensions)
        {
            await KillAsync();
            return;
        }

        await _sandbox.ThawAsync(CancellationToken.None);
        foreach (var pid in RuntimeProcessIds())
        {
            _ = Libc.kill(pid, SigUsr1);
        }
    }

    /// <summary>
    /// SIGTERM to the runtime, SIGKILL to everything once <paramref name="grace"/> has passed, or once
    /// <paramref name="done"/> completes (the runtime and the extensions that take SHUTDOWN are finished).
    /// </summary>
    public async ValueTask TerminateAsync(TimeSpan grace, TimeProvider time, Task? done = null)
    {
        if (Exited.IsCompleted)
        {
            return;
        }

        // A frozen process only acts on its SIGTERM once thawed.
        await _sandbox.ThawAsync(CancellationToken.None);
        foreach (var pid in RuntimeProcessIds())
        {
            _ = Libc.kill(pid, Libc.SigTerm);
        }

        try
        {
            var started = time.GetTimestamp();
            await (done is null ? (Task)Exited : Task.WhenAny(Exited, done)).WaitAsync(grace, time);
            if (!Exited.IsCompleted)
            {
                // Everyone that had to finish has: a short grace for their last output and exits, then SIGKILL.
                var left = grace - time.GetElapsedTime(started);
                await Exited.WaitAsync(left < s_exitGrace ? left : s_exitGrace, time);
            }
        }
        catch (TimeoutException)
        {
            await _sandbox.KillAsync();
        }
    }

    /// <summary>
    /// Waits (at most <paramref name="limit"/>) until everything the sandbox wrote so far is in the log: a runtime
    /// writes its lines, then posts its response; the lines belong before END. Nothing to wait for in the usual case.
    /// </summary>
    public async ValueTask FlushOutputAsync(TimeSpan limit, TimeProvider time)
    {
        var target = _sandbox.OutputBytesWritten;
        if (Interlocked.Read(ref _loggedBytes) >= target)
        {
            return;
        }

        var deadline = time.GetTimestamp() + (long)(limit.TotalSeconds * time.TimestampFrequency);
        while (Interlocked.Read(ref _loggedBytes) < target && !OutputCompleted.IsCompleted)
        {
            var remaining = TimeSpan.FromSeconds((deadline - time.GetTimestamp()) / (double)time.TimestampFrequency);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            // The pump signals only a waiter that registered: its reads cost nothing extra when nobody flushes.
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var progress = (Interlocked.CompareExchange(ref _logged, signal, null) ?? signal).Task;
            if (Interlocked.Read(ref _loggedBytes) >= target)
            {
                return;
            }

            try
            {
                await Task.WhenAny(progress, OutputCompleted).WaitAsync(remaining, time);
            }
            catch (TimeoutException)
            {
                return;
            }
        }
    }

    /// <summary>Waits (at most <paramref name="limit"/>) for the output of a runtime that has ended to be logged.</summary>
    public async ValueTask DrainOutputAsync(TimeSpan limit, TimeProvider time)
    {
        try
        {
            await OutputCompleted.WaitAsync(limit, time);
        }
        catch (TimeoutException)
        {
            // A process the runtime left behind still holds the output open; its lines come later.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The runtime dies before its parked next is released: it must not log a reset connection on its way out.
        await Telemetry.DisposeAsync();
        await _registration.DisposeAsync();
        await _sandbox.DisposeAsync();
        Session.Close();
        Session.Extensions.Close();
        await OutputCompleted;
        await _exitWatch;
    }

    /// <summary>
    /// The runtime's host pids: the children of the sandbox's init (bubblewrap's pid 1 ignores signals it has
    /// no handler for, so the runtime is signalled directly, as Lambda signals the runtime process).
    /// </summary>
    private List<int> RuntimeProcessIds()
    {
        var pids = new List<int>();
        try
        {
            var pid = _sandbox.Pid.ToString(CultureInfo.InvariantCulture);
            var children = File.ReadAllText($"/proc/{pid}/task/{pid}/children");
            foreach (var part in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var child))
                {
                    pids.Add(child);
                }
            }
        }
        catch (IOException)
        {
            // The sandbox is already gone.
        }

        return pids;
    }

    private async Task WatchExitAsync()
    {
        var exit = await _sandbox.Exited;
        Session.OnExited(exit);
    }

    private async Task PumpOutputAsync(Stream output, LogStreamWriter log)
    {
        await Task.Yield();
        var buffer = ArrayPool<byte>.Shared.Rent(OutputBufferBytes);
        try
        {
            int read;
            while ((read = await output.ReadAsync(buffer)) > 0)
            {
                log.WriteOutput(buffer.AsSpan(0, read));
                Interlocked.Add(ref _loggedBytes, read);
                Interlocked.Exchange(ref _logged, null)?.TrySetResult();
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            WorkerLog.OutputFailed(_logger, Session.EnvironmentId, exception);
        }
        finally
        {
            log.EndOutput();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
