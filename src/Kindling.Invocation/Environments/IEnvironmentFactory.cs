namespace Kindling.Invocation.Environments;

/// <summary>Creates execution environments: unpacks code, launches the sandbox, and runs the Init phase.</summary>
public interface IEnvironmentFactory
{
    /// <summary>
    /// Launches an environment and waits for its Init phase (at most 10 s) to finish. An init that fails or
    /// times out does not throw: the environment then answers its first invocation with the error (or retries
    /// the init under the function's timeout, as Lambda does) and is not reusable afterwards.
    /// Throws <see cref="EnvironmentLaunchException"/> only when the sandbox itself cannot start.
    /// </summary>
    Task<IExecutionEnvironment> CreateAsync(FunctionSpec function, InitializationType initializationType, CancellationToken cancellationToken);
}

/// <summary>AWS_LAMBDA_INITIALIZATION_TYPE.</summary>
public enum InitializationType
{
    /// <summary><c>on-demand</c>.</summary>
    OnDemand,

    /// <summary><c>provisioned-concurrency</c>.</summary>
    ProvisionedConcurrency,
}
