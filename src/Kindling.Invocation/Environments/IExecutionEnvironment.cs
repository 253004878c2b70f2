namespace Kindling.Invocation.Environments;

/// <summary>
/// One execution environment: a sandboxed runtime process for one function version, serving one invocation
/// at a time through Lambda's Runtime API. Implemented by the worker; pooled by the worker manager.
/// </summary>
public interface IExecutionEnvironment : IAsyncDisposable
{
    /// <summary>Unique id (also the log stream suffix).</summary>
    string Id { get; }

    /// <summary>The function version it runs.</summary>
    FunctionSpec Function { get; }

    /// <summary>Memory it is charged for in placement (MemorySize).</summary>
    long MemoryBytes { get; }

    /// <summary>
    /// False once the environment cannot serve again (its runtime exited, timed out, ran out of memory, or
    /// failed its init): the manager then disposes it instead of keeping it warm.
    /// </summary>
    bool IsReusable { get; }

    /// <summary>
    /// True when its runtime finished Init and waits for invocations; false after an Init that timed out (Lambda
    /// runs Init again at the first invoke, so the environment still serves, but it is not ready ahead of traffic).
    /// </summary>
    bool IsInitialized { get; }

    /// <summary>Runs one invocation (the environment must not be frozen). Never throws for function errors.</summary>
    Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken);

    /// <summary>Freezes every process of the environment (between invocations).</summary>
    ValueTask FreezeAsync(CancellationToken cancellationToken);

    /// <summary>Thaws it before an invocation.</summary>
    ValueTask ThawAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Lambda's Shutdown phase: SHUTDOWN to extensions, SIGTERM, then SIGKILL within 2 s. Reason is
    /// <c>spindown</c>, <c>timeout</c> or <c>failure</c>. Disposal after shutdown frees everything.
    /// </summary>
    ValueTask ShutdownAsync(string reason, CancellationToken cancellationToken);
}
