using Kindling.Invocation.Environments;

namespace Kindling.Invocation.Tests.TestSupport;

/// <summary>An invocation running on a fake environment, completed when the test says so.</summary>
internal sealed class FakeInvocation(FakeEnvironment environment, InvocationRequest request)
{
    private readonly TaskCompletionSource<InvocationResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeEnvironment Environment { get; } = environment;

    public InvocationRequest Request { get; } = request;

    public Task<InvocationResult> Result => _result.Task;

    public void Complete() => _result.TrySetResult(new InvocationResult { Payload = Request.Payload, DurationMs = 1 });

    public void Fail(Exception exception) => _result.TrySetException(exception);
}
