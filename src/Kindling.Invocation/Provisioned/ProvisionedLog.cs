using Microsoft.Extensions.Logging;

namespace Kindling.Invocation.Provisioned;

/// <summary>The provisioned concurrency reconciler's log events (event ids 2500–2599).</summary>
internal static partial class ProvisionedLog
{
    [LoggerMessage(2500, LogLevel.Information, "Provisioned concurrency: {Environments} environments for {PoolKey}.")]
    public static partial void Target(ILogger logger, string poolKey, int environments);

    [LoggerMessage(2501, LogLevel.Warning, "The provisioned concurrency of {FunctionName}:{Qualifier} could not be applied.")]
    public static partial void ResolveFailed(ILogger logger, string functionName, string qualifier, Exception exception);

    [LoggerMessage(2502, LogLevel.Warning, "A provisioned concurrency pass failed; the next one retries.")]
    public static partial void PassFailed(ILogger logger, Exception exception);
}
