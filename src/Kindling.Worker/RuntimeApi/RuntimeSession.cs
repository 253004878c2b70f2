using Kindling.Invocation.Environments;
using Kindling.Sandbox;
using Kindling.Worker.Extensions;
using Kindling.Worker.Telemetry;

namespace Kindling.Worker.RuntimeApi;

/// <summary>
/// The Runtime API's state for one runtime process: its Init phase (ended by its first <c>next</c> or an
/// <c>init/error</c>), the invocation it is working on, and its parked <c>next</c> request. The worker's
/// environment side calls <see cref="Enqueue"/>; the HTTP side calls <see cref="NextAsync"/>,
/// <see cref="Find"/> and <see cref="TryFailInit"/>. Each accepted connection carries its environment's session,
/// so a runtime can only ever reach its own.
/// </summary>
internal sealed class RuntimeSession
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource<RuntimeOutcome> _init = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PendingInvocation? _queued;
    private PendingInvocation? _active;
    private TaskCompletionSource<PendingInvocation?>? _waiter;
    private RuntimeOutcome? _exited;
    private readonly TaskCompletionSource _runtimeExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _closed;

    public RuntimeSession(string environmentId, TimeProvider time)
    {
        EnvironmentId = environmentId;
        _time = time;
    }

    public string EnvironmentId { get; }

    /// <summary>The function (the Extensions API's register answer names it).</summary>
    public FunctionSpec? Function { get; init; }

    /// <summary>The Extensions API's state for this runtime launch.</summary>
    public ExtensionHost Extensions { get; init; } = new([]);

    /// <summary>The Telemetry and Logs APIs' subscribers, once the runtime's sandbox is up.</summary>
    public TelemetryHub? Telemetry { get; set; }

    /// <summary>Turns the exit status the extensions launcher reports for the runtime into an exit.</summary>
    public Func<int, SandboxExit>? RuntimeExitMapper { get; set; }

    /// <summary>Completes when the runtime process has exited.</summary>
    public Task RuntimeExited => _runtimeExited.Task;

    /// <summary>
    /// Completes when Init ends: <see cref="RuntimeOutcomeKind.Ready"/> at the first <c>next</c>,
    /// <see cref="RuntimeOutcomeKind.Error"/> at <c>init/error</c>, <see cref="RuntimeOutcomeKind.Exited"/> if the
    /// runtime exits first.
    /// </summary>
    public Task<RuntimeOutcome> Initialized => _init.Task;

    /// <summary>When the sandbox first connected to the Runtime API (a <see cref="System.Diagnostics.Stopwatch"/> timestamp), or 0.</summary>
    public long FirstConnectionTimestamp { get; set; }

    /// <summary>When Init ended (a <see cref="TimeProvider"/> timestamp), once it has.</summary>
    public long InitEndedTimestamp { get; private set; }

    /// <summary>Hands an invocation to the runtime: to its parked <c>next</c>, else to its next one.</summary>
    public void Enqueue(PendingInvocation invocation)
    {
        lock (_lock)
        {
            if (_exited is { } exited)
            {
                invocation.TryComplete(exited);
                return;
            }

            _active = invocation;
            if (_waiter is { } waiter)
            {
                _waiter = null;
                // Delivered first: once the waiter has the invocation, the runtime can have it, answer it and post
                // its response (Find, without the lock) before this thread runs on. Set after, a thread preempted
                // here for half a millisecond had the response refused and the invocation time out (1 in ~200,000
                // back-to-back invokes on 2 CPUs).
                invocation.Delivered = true;
                if (waiter.TrySetResult(invocation))
                {
                    return;
                }

                invocation.Delivered = false;
            }

            _queued = invocation;
        }
    }

    /// <summary>The invocation ended (answered, timed out): later posts for it are invalid.</summary>
    public void Finish(PendingInvocation invocation)
    {
        lock (_lock)
        {
            if (_active == invocation)
            {
                _active = null;
            }

            if (_queued == invocation)
            {
                _queued = null;
            }
        }
    }

    /// <summary>
    /// <c>GET next</c>: the next invocation, once there is one; null when the session closes (the environment
    /// is ending). Ends Init.
    /// </summary>
    public ValueTask<PendingInvocation?> NextAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<PendingInvocation?> waiter;
        lock (_lock)
        {
            if (!_init.Task.IsCompleted)
            {
                InitEndedTimestamp = _time.GetTimestamp();
                Extensions.CloseRegistration();
                _init.TrySetResult(RuntimeOutcome.Ready);
            }

            if (_closed)
            {
                return ValueTask.FromResult<PendingInvocation?>(null);
            }

            if (_queued is { } queued)
            {
                _queued = null;
                queued.Delivered = true;
                return ValueTask.FromResult<PendingInvocation?>(queued);
            }

            // A runtime has one next request at a time; a newer one replaces (and releases) an older one.
            _waiter?.TrySetResult(null);
            waiter = new TaskCompletionSource<PendingInvocation?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiter = waiter;
        }

        return WaitAsync(waiter, cancellationToken);
    }

    /// <summary>The delivered, unanswered invocation with this id, or null (unknown id, already answered).</summary>
    public PendingInvocation? Find(ReadOnlySpan<char> requestId)
    {
        var active = Volatile.Read(ref _active);
        return active is { Delivered: true } && !active.Outcome.IsCompleted && requestId.SequenceEqual(active.Request.RequestId)
            ? active
            : null;
    }

    /// <summary><c>init/error</c>: ends Init with the error; false once Init has ended.</summary>
    public bool TryFailInit(byte[] payload, string errorType)
    {
        lock (_lock)
        {
            if (_init.Task.IsCompleted)
            {
                return false;
            }

            InitEndedTimestamp = _time.GetTimestamp();
            return _init.TrySetResult(RuntimeOutcome.Error(payload, errorType));
        }
    }

    /// <summary>The runtime exited: ends Init and the current invocation with the exit.</summary>
    public void OnExited(SandboxExit exit)
    {
        var outcome = RuntimeOutcome.Exited(exit);
        PendingInvocation? active;
        lock (_lock)
        {
            _exited = outcome;
            if (!_init.Task.IsCompleted)
            {
                InitEndedTimestamp = _time.GetTimestamp();
                _init.TrySetResult(outcome);
            }

            active = _active;
        }

        _runtimeExited.TrySetResult();
        active?.TryComplete(outcome);
    }

    /// <summary>The extensions launcher reported the runtime's exit status (bash's: 128 + signal when killed).</summary>
    public void ReportRuntimeExit(int status)
    {
        var exit = RuntimeExitMapper?.Invoke(status)
            ?? new SandboxExit(status, status is > 128 and <= 128 + 64 ? status - 128 : null, false);
        OnExited(exit);
    }

    /// <summary>The environment is ending: a parked <c>next</c> is released (its connection is dropped).</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            _waiter?.TrySetResult(null);
            _waiter = null;
        }
    }

    private async ValueTask<PendingInvocation?> WaitAsync(TaskCompletionSource<PendingInvocation?> waiter, CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(() => Cancel(waiter)))
        {
            return await waiter.Task;
        }
    }

    private void Cancel(TaskCompletionSource<PendingInvocation?> waiter)
    {
        lock (_lock)
        {
            if (_waiter == waiter)
            {
                _waiter = null;
            }

            // Under the lock: Enqueue either handed its invocation over before this, or sees the waiter gone.
            waiter.TrySetResult(null);
        }
    }
}
