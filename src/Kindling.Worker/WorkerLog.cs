using Microsoft.Extensions.Logging;

namespace Kindling.Worker;

/// <summary>The worker's log events (event ids 3100–3199).</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(3100, LogLevel.Information, "Runtime API server started.")]
    public static partial void RuntimeApiStarted(ILogger logger);

    [LoggerMessage(3101, LogLevel.Information, "Runtime API server stopped.")]
    public static partial void RuntimeApiStopped(ILogger logger);

    [LoggerMessage(3102, LogLevel.Warning, "Runtime API: accepting connections of environment {EnvironmentId} failed.")]
    public static partial void AcceptFailed(ILogger logger, string environmentId, Exception exception);

    [LoggerMessage(3103, LogLevel.Warning, "Runtime API request of environment {EnvironmentId} failed.")]
    public static partial void RequestFailed(ILogger logger, string environmentId, Exception exception);

    [LoggerMessage(3110, LogLevel.Debug, "Environment {EnvironmentId} of {FunctionName} initialized in {InitMilliseconds} ms.")]
    public static partial void Initialized(ILogger logger, string environmentId, string functionName, double initMilliseconds);

    [LoggerMessage(3117, LogLevel.Debug, "Environment {EnvironmentId} of {FunctionName} created in {ElapsedMilliseconds} ms ({Steps}).")]
    public static partial void Created(ILogger logger, string environmentId, string functionName, double elapsedMilliseconds, string steps);

    [LoggerMessage(3111, LogLevel.Information, "Environment {EnvironmentId} of {FunctionName}: init failed ({ErrorType}).")]
    public static partial void InitFailed(ILogger logger, string environmentId, string functionName, string errorType);

    [LoggerMessage(3112, LogLevel.Information, "Environment {EnvironmentId} of {FunctionName}: init timed out; it is retried at the first invoke.")]
    public static partial void InitTimedOut(ILogger logger, string environmentId, string functionName);

    [LoggerMessage(3113, LogLevel.Information, "Environment {EnvironmentId} of {FunctionName}: invocation {RequestId} ended with {ErrorType}; the environment is not reusable.")]
    public static partial void EnvironmentBroken(ILogger logger, string environmentId, string functionName, string requestId, string errorType);

    [LoggerMessage(3114, LogLevel.Warning, "Environment {EnvironmentId}: its sandbox could not be launched.")]
    public static partial void LaunchFailed(ILogger logger, string environmentId, Exception exception);

    [LoggerMessage(3115, LogLevel.Warning, "Environment {EnvironmentId}: reading its output failed.")]
    public static partial void OutputFailed(ILogger logger, string environmentId, Exception exception);

    [LoggerMessage(3116, LogLevel.Debug, "Environment {EnvironmentId} shut down ({Reason}).")]
    public static partial void ShutDown(ILogger logger, string environmentId, string reason);

    [LoggerMessage(3120, LogLevel.Debug, "Code {CodeId} unpacked into {Directory} in {ElapsedMilliseconds} ms.")]
    public static partial void CodeUnpacked(ILogger logger, string codeId, string directory, double elapsedMilliseconds);

    [LoggerMessage(3121, LogLevel.Warning, "Could not remove the leftover {Directory}.")]
    public static partial void LeftoverNotRemoved(ILogger logger, string directory, Exception exception);

    [LoggerMessage(3122, LogLevel.Warning, "The sandboxes' host user may not be able to reach {Directory}: an ancestor directory is not searchable by others.")]
    public static partial void DirectoryNotSearchable(ILogger logger, string directory);

    [LoggerMessage(3123, LogLevel.Debug, "Environment {EnvironmentId}: telemetry delivery to {ExtensionName} failed; {Count} events dropped.")]
    public static partial void TelemetryDeliveryFailed(ILogger logger, string environmentId, string extensionName, int count, Exception exception);

    [LoggerMessage(3124, LogLevel.Information, "Environment {EnvironmentId} of {FunctionName}: extension failure {ErrorType}; the environment is not reusable.")]
    public static partial void ExtensionFailed(ILogger logger, string environmentId, string functionName, string errorType);

    [LoggerMessage(3125, LogLevel.Warning, "Environment {EnvironmentId}: its CPU share could not be set after Init.")]
    public static partial void CpuLimitFailed(ILogger logger, string environmentId, Exception exception);
}
