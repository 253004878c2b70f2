namespace Kindling.Invocation.Environments;

/// <summary>
/// Runs invocations on pooled environments: an idle warm one (most recently used first, thawed), else a new
/// one when placement has room (evicting idle environments of other functions first), else a throttle.
/// </summary>
public interface IWorkerManager
{
    /// <summary>
    /// Runs one invocation. Throws <see cref="CapacityExceededException"/> when no environment can be had.
    /// </summary>
    Task<InvocationResult> InvokeAsync(FunctionSpec function, InvocationRequest request, CancellationToken cancellationToken);
}
