using Microsoft.Extensions.Logging;

namespace Kindling.Invocation.Async;

/// <summary>The asynchronous invocation path's log events (event ids 2300–2399).</summary>
internal static partial class AsyncLog
{
    [LoggerMessage(2300, LogLevel.Information, "Asynchronous invocation: {Receivers} receivers (one per internal queue shard), up to {Concurrency} events at once, retry delays scaled by {Scale}.")]
    public static partial void Started(ILogger logger, int receivers, int concurrency, double scale);

    [LoggerMessage(2301, LogLevel.Warning, "Receiving from the internal event queue failed; trying again.")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception);

    [LoggerMessage(2302, LogLevel.Information, "Event {RequestId} for {FunctionName} dropped: the function no longer exists.")]
    public static partial void FunctionGone(ILogger logger, string requestId, string functionName);

    [LoggerMessage(2303, LogLevel.Debug, "Event {RequestId} for {FunctionName} throttled ({Reason}); again in {DelaySeconds} s.")]
    public static partial void Throttled(ILogger logger, string requestId, string functionName, string reason, int delaySeconds);

    [LoggerMessage(2304, LogLevel.Debug, "Event {RequestId} for {FunctionName} failed (attempt {Attempt}); retry in {DelaySeconds} s.")]
    public static partial void Retrying(ILogger logger, string requestId, string functionName, int attempt, int delaySeconds);

    [LoggerMessage(2305, LogLevel.Warning, "Event {RequestId} for {FunctionName} discarded ({Condition}) with no failure target configured.")]
    public static partial void Discarded(ILogger logger, string requestId, string functionName, string condition);

    [LoggerMessage(2306, LogLevel.Warning, "Delivery of {Purpose} for event {RequestId} to {Target} failed; it is retried in {DelaySeconds} s.")]
    public static partial void DeliveryFailed(ILogger logger, string purpose, string requestId, string target, int delaySeconds, Exception exception);

    [LoggerMessage(2307, LogLevel.Error, "Delivery of {Purpose} for event {RequestId} to {Target} abandoned after retrying for {AgeSeconds} s.")]
    public static partial void DeliveryAbandoned(ILogger logger, string purpose, string requestId, string target, long ageSeconds);

    [LoggerMessage(2308, LogLevel.Warning, "Event {RequestId} for {FunctionName} could not be handled (a Kindling-side failure); it is tried again.")]
    public static partial void HandlingFailed(ILogger logger, string requestId, string functionName, Exception exception);

    [LoggerMessage(2309, LogLevel.Error, "Delivery of {Purpose} for event {RequestId} to {Target} is impossible: {Reason}")]
    public static partial void DeliveryImpossible(ILogger logger, string purpose, string requestId, string target, string reason);
}
