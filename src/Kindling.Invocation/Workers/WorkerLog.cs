using Microsoft.Extensions.Logging;

namespace Kindling.Invocation.Workers;

/// <summary>The worker manager's and placement's log events (event ids 2100–2199).</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(2100, LogLevel.Information, "Worker manager: {BudgetMb} MB of memory for execution environments, keep-alive {KeepAlive}, maximum lifetime {MaxLifetime}.")]
    public static partial void Started(ILogger logger, long budgetMb, TimeSpan keepAlive, TimeSpan maxLifetime);

    [LoggerMessage(2101, LogLevel.Debug, "Cold start of environment {EnvironmentId} for {PoolKey} took {ElapsedMilliseconds} ms.")]
    public static partial void ColdStarted(ILogger logger, string environmentId, string poolKey, double elapsedMilliseconds);

    [LoggerMessage(2102, LogLevel.Warning, "An environment for {PoolKey} could not be launched.")]
    public static partial void LaunchFailed(ILogger logger, string poolKey, Exception exception);

    [LoggerMessage(2103, LogLevel.Debug, "No room for a new environment for {PoolKey}: {Message}")]
    public static partial void PlacementRefused(ILogger logger, string poolKey, string message);

    [LoggerMessage(2104, LogLevel.Debug, "Environment {EnvironmentId} of {PoolKey} shut down ({Reason}).")]
    public static partial void Retired(ILogger logger, string environmentId, string poolKey, string reason);

    [LoggerMessage(2105, LogLevel.Warning, "Environment {EnvironmentId} did not shut down cleanly ({Reason}).")]
    public static partial void RetireFailed(ILogger logger, string environmentId, string reason, Exception exception);

    [LoggerMessage(2106, LogLevel.Warning, "Environment {EnvironmentId} could not be frozen; it is shut down.")]
    public static partial void FreezeFailed(ILogger logger, string environmentId, Exception exception);

    [LoggerMessage(2107, LogLevel.Warning, "Environment {EnvironmentId} could not be thawed; it is shut down.")]
    public static partial void ThawFailed(ILogger logger, string environmentId, Exception exception);

    [LoggerMessage(2108, LogLevel.Information, "Evicted idle environment {EnvironmentId} of {PoolKey} to make room for {ForPoolKey}.")]
    public static partial void Evicted(ILogger logger, string environmentId, string poolKey, string forPoolKey);

    [LoggerMessage(2109, LogLevel.Debug, "Reaped {Count} idle environments (keep-alive or maximum lifetime).")]
    public static partial void Reaped(ILogger logger, int count);

    [LoggerMessage(2110, LogLevel.Warning, "Environment {EnvironmentId} failed outside the function; it is shut down.")]
    public static partial void InvokeFailed(ILogger logger, string environmentId, Exception exception);

    [LoggerMessage(2111, LogLevel.Information, "Worker manager stopping: shutting down {Count} environments.")]
    public static partial void Stopping(ILogger logger, int count);

    [LoggerMessage(2112, LogLevel.Warning, "Worker manager stop deadline reached: shutting down {Count} environments still running an invocation.")]
    public static partial void StopForced(ILogger logger, int count);

    [LoggerMessage(2113, LogLevel.Warning, "A provisioned environment for {PoolKey} could not be launched: {Reason}")]
    public static partial void ProvisionFailed(ILogger logger, string poolKey, string reason);

    [LoggerMessage(2114, LogLevel.Debug, "No new environment for {PoolKey}: function {FunctionName} has reached its scaling rate.")]
    public static partial void ScalingRateExceeded(ILogger logger, string poolKey, string functionName);
}
