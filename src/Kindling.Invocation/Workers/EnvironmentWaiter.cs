using Kindling.Invocation.Environments;

namespace Kindling.Invocation.Workers;

/// <summary>An invocation waiting for an environment: a cold start's, or one released meanwhile.</summary>
internal sealed class EnvironmentWaiter
{
    private readonly TaskCompletionSource<EnvironmentSlot> _slot = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EnvironmentWaiter(FunctionSpec function, FunctionPool pool)
    {
        Function = function;
        Pool = pool;
        Node = new LinkedListNode<EnvironmentWaiter>(this);
    }

    public FunctionSpec Function { get; }

    public FunctionPool Pool { get; }

    /// <summary>Its node in the pool's waiter list; detached once served, failed or cancelled.</summary>
    public LinkedListNode<EnvironmentWaiter> Node { get; }

    public Task<EnvironmentSlot> Task => _slot.Task;

    public bool TryServe(EnvironmentSlot slot) => _slot.TrySetResult(slot);

    public bool TryFail(Exception exception) => _slot.TrySetException(exception);

    public bool TryCancel(CancellationToken cancellationToken) => _slot.TrySetCanceled(cancellationToken);
}
