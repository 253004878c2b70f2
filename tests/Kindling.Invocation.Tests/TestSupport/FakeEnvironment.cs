using Kindling.Invocation.Environments;

namespace Kindling.Invocation.Tests.TestSupport;

/// <summary>
/// An execution environment that records every call and counts contract violations: an invocation while
/// frozen or while another runs, a freeze of a frozen environment, a thaw of a running one, a shutdown while
/// frozen, any call after disposal.
/// </summary>
internal sealed class FakeEnvironment(FakeEnvironmentFactory factory, FunctionSpec function, string id) : IExecutionEnvironment
{
    private readonly Lock _gate = new();
    private readonly List<string> _calls = [];
    private int _running;
    private int _violations;
    private bool _disposed;

    public string Id { get; } = id;

    public FunctionSpec Function { get; } = function;

    public long MemoryBytes => Function.MemorySizeMb * 1024L * 1024;

    public bool IsReusable { get; set; } = true;

    public bool IsInitialized { get; set; } = true;

    public bool Frozen { get; private set; }

    public int Violations => Volatile.Read(ref _violations);

    public Exception? FreezeFailure { get; set; }

    /// <summary>When set, ShutdownAsync waits for it (to observe shutdowns in parallel).</summary>
    public TaskCompletionSource? ShutdownGate { get; set; }

    public TaskCompletionSource<string> ShutdownCalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public int Count(string call) => Calls.Count(c => c == call);

    public async Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        Record("invoke", Frozen);
        if (Interlocked.Increment(ref _running) > 1)
        {
            Interlocked.Increment(ref _violations);
        }

        try
        {
            var invocation = new FakeInvocation(this, request);
            if (factory.AutoComplete)
            {
                await Task.Yield();
                invocation.Complete();
            }
            else
            {
                factory.Publish(invocation);
            }

            return await invocation.Result;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    public ValueTask FreezeAsync(CancellationToken cancellationToken)
    {
        Record("freeze", Frozen || Volatile.Read(ref _running) > 0);
        if (FreezeFailure is { } failure)
        {
            return ValueTask.FromException(failure);
        }

        Frozen = true;
        return ValueTask.CompletedTask;
    }

    public ValueTask ThawAsync(CancellationToken cancellationToken)
    {
        Record("thaw", !Frozen);
        Frozen = false;
        return ValueTask.CompletedTask;
    }

    public async ValueTask ShutdownAsync(string reason, CancellationToken cancellationToken)
    {
        Record("shutdown:" + reason, Frozen || ShutdownCalled.Task.IsCompleted);
        ShutdownCalled.TrySetResult(reason);
        if (ShutdownGate is { } gate)
        {
            await gate.Task;
        }
    }

    public ValueTask DisposeAsync()
    {
        Record("dispose", false);
        lock (_gate)
        {
            _disposed = true;
        }

        Disposed.TrySetResult();
        return ValueTask.CompletedTask;
    }

    private void Record(string call, bool violation)
    {
        lock (_gate)
        {
            _calls.Add(call);
            if (violation || _disposed)
            {
                _violations++;
            }
        }
    }
}
