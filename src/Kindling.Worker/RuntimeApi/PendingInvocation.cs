using Kindling.Invocation.Environments;

namespace Kindling.Worker.RuntimeApi;

/// <summary>One invocation between its hand-over to the runtime and the runtime's answer.</summary>
internal sealed class PendingInvocation
{
    private readonly TaskCompletionSource<RuntimeOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _delivered;

    public PendingInvocation(InvocationRequest request, long deadlineUnixMilliseconds)
    {
        Request = request;
        DeadlineUnixMilliseconds = deadlineUnixMilliseconds;
    }

    public InvocationRequest Request { get; }

    /// <summary>Lambda-Runtime-Deadline-Ms.</summary>
    public long DeadlineUnixMilliseconds { get; }

    /// <summary>Completes with the runtime's answer, or its exit.</summary>
    public Task<RuntimeOutcome> Outcome => _outcome.Task;

    /// <summary>
    /// Set once a <c>next</c> request took it (before that request can answer): responses are accepted from then on.
    /// </summary>
    public bool Delivered
    {
        get => _delivered;
        set => _delivered = value;
    }

    /// <summary>False if the invocation already has its outcome (a second response, a timeout…).</summary>
    public bool TryComplete(RuntimeOutcome outcome) => _outcome.TrySetResult(outcome);
}
