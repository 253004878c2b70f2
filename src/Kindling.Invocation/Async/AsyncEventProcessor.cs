using System.Text.Json;
using Kindling.Functions.Errors;
using Kindling.Functions.Model;
using Kindling.Functions.Services;
using Kindling.Invocation.Admission;
using Kindling.Invocation.Environments;
using Kindling.Invocation.Frontend;
using Microsoft.Extensions.Logging;

namespace Kindling.Invocation.Async;

/// <summary>
/// Handles one event taken from the internal queue: checks its age and the function's concurrency, invokes it
/// through the worker manager as a synchronous invoke would, then deletes it, re-queues it (a retry after a
/// function error, a back-off after a throttle or a Kindling-side failure) or hands it to its destinations. Every
/// follow-up is committed before the event is deleted, so a crash at any point repeats work but never loses it.
/// </summary>
internal sealed class AsyncEventProcessor(
    AsyncEventQueue queue,
    Destinations destinations,
    FunctionStore functions,
    AliasRouting routing,
    ConcurrencySettings concurrency,
    ConcurrencyAdmission admission,
    FunctionSpecs specs,
    EventInvokeConfigService invokeConfigs,
    IWorkerManager workers,
    RetryDelays delays,
    TimeProvider time,
    ILogger<AsyncEventProcessor> logger)
{
    /// <summary>How long a received event stays hidden before its function's timeout is known.</summary>
    public const int InitialVisibilitySeconds = 30;

    // Init (up to 10 s) and the hand-off around the invoke come on top of the function's timeout.
    private const int VisibilityMarginSeconds = 30;
    private const int DefaultMaximumEventAgeSeconds = 21_600;
    private const int DefaultMaximumRetryAttempts = 2;
    private const long DeliveryMaximumAgeMs = DefaultMaximumEventAgeSeconds * 1000L;

    public async Task ProcessAsync(AsyncEvent item, string receiptHandle, CancellationToken cancellationToken)
    {
        if (item.Kind == AsyncEventKind.Deliver)
        {
            await RetryDeliveryAsync(item, receiptHandle, cancellationToken);
            return;
        }

        ResolvedFunction resolved;
        try
        {
            resolved = await routing.ResolveAsync(functions.Parse(item.FunctionName, item.Qualifier), cancellationToken);
        }
        catch (LambdaException ex) when (ex.Code == "ResourceNotFoundException")
        {
            LogFunctionGone(item);
            await queue.DeleteAsync(receiptHandle, cancellationToken);
            return;
        }

        var qualifier = item.Qualifier ?? "$LATEST";
        var config = await invokeConfigs.FindAsync(item.FunctionName, qualifier, cancellationToken);
        var outcome = new Outcome(item, resolved, config, functions.Account.FunctionArn(item.FunctionName, qualifier));
        var maximumAge = (config?.MaximumEventAgeInSeconds ?? DefaultMaximumEventAgeSeconds) * 1000L;
        if (time.GetUtcNow().ToUnixTimeMilliseconds() - item.AcceptedAtMs > maximumAge)
        {
            await FailAsync(outcome, "EventAgeExceeded", null, receiptHandle, cancellationToken);
            return;
        }

        // Reserved concurrency 0 means the function takes no events: they go straight to the failure target. With
        // none configured the event is kept and backed off like any throttle, so raising the concurrency runs it.
        var settings = await concurrency.GetAsync(cancellationToken);
        if (settings.For(item.FunctionName).Reserved == 0 && outcome.HasFailureTarget)
        {
            await FailAsync(outcome, "RetriesExhausted", null, receiptHandle, cancellationToken);
            return;
        }

        if (!admission.TryEnter(item.FunctionName, settings, out var lease, out var throttleReason))
        {
            await BackOffAsync(item, throttleReason!, receiptHandle, cancellationToken);
            return;
        }

        InvocationResult result;
        try
        {
            var spec = await specs.ForAsync(resolved.Version, cancellationToken);
            if (spec.TimeoutSeconds + VisibilityMarginSeconds > InitialVisibilitySeconds)
            {
                await queue.ExtendAsync(receiptHandle, spec.TimeoutSeconds + VisibilityMarginSeconds, cancellationToken);
            }

            result = await workers.InvokeAsync(
                spec,
                new InvocationRequest
                {
                    RequestId = item.RequestId,
                    Payload = item.Payload,
                    InvokedFunctionArn = functions.Account.FunctionArn(item.FunctionName, item.Qualifier),
                    TraceId = item.TraceHeader ?? TraceIds.New(time),
                },
                cancellationToken);
        }
        catch (Exception ex) when (ex is CapacityExceededException or ScalingRateExceededException or EnvironmentLaunchException)
        {
            var reason = ex switch
            {
                CapacityExceededException => ConcurrencyAdmission.AccountLimitReason,
                ScalingRateExceededException => ConcurrencyAdmission.ScalingRateReason(settings.For(item.FunctionName).Reserved is not null),
                _ => "EnvironmentLaunchFailed",
            };
            await BackOffAsync(item, reason, receiptHandle, cancellationToken);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A Kindling-side failure (a 5xx of the synchronous path): backed off like a throttle, no retry consumed.
            AsyncLog.HandlingFailed(logger, item.RequestId, item.FunctionName, ex);
            await BackOffAsync(item, "ServiceException", receiptHandle, cancellationToken);
            return;
        }
        finally
        {
            lease.Dispose();
        }

        var attempts = item.Attempts + 1;
        var response = new DestinationRecord.Response(200, resolved.Version.Configuration.Version, result.FunctionError, result.Payload);
        if (result.FunctionError is null)
        {
            await SucceedAsync(outcome with { Item = item with { Attempts = attempts } }, response, receiptHandle, cancellationToken);
            return;
        }

        var maximumRetries = config?.MaximumRetryAttempts ?? DefaultMaximumRetryAttempts;
        if (attempts <= maximumRetries)
        {
            var delay = delays.AfterFunctionError(attempts);
            LogRetrying(item.RequestId, item.FunctionName, attempts, delay);
            await queue.EnqueueAsync(item with { Attempts = attempts, Throttles = 0 }, delay, cancellationToken);
            await queue.DeleteAsync(receiptHandle, cancellationToken);
            return;
        }

        await FailAsync(outcome with { Item = item with { Attempts = attempts } }, "RetriesExhausted", response, receiptHandle, cancellationToken);
    }

    private async Task SucceedAsync(Outcome outcome, DestinationRecord.Response response, string receiptHandle, CancellationToken cancellationToken)
    {
        if (outcome.Config?.DestinationConfig.OnSuccess?.Destination is { Length: > 0 } onSuccess)
        {
            var record = DestinationRecord.Build(time.GetUtcNow(), outcome.Item.RequestId, outcome.QualifiedArn, "Success", outcome.Item.Attempts, outcome.Item.Payload, response);
            await DeliverAsync(Delivery(outcome.Item, onSuccess, "OnSuccess", record), cancellationToken);
        }

        await queue.DeleteAsync(receiptHandle, cancellationToken);
    }

    private async Task FailAsync(Outcome outcome, string condition, DestinationRecord.Response? response, string receiptHandle, CancellationToken cancellationToken)
    {
        var item = outcome.Item;
        if (!outcome.HasFailureTarget)
        {
            LogDiscarded(item.RequestId, item.FunctionName, condition);
        }

        if (outcome.Config?.DestinationConfig.OnFailure?.Destination is { Length: > 0 } onFailure)
        {
            var record = DestinationRecord.Build(time.GetUtcNow(), item.RequestId, outcome.QualifiedArn, condition, item.Attempts, item.Payload, response);
            await DeliverAsync(Delivery(item, onFailure, "OnFailure", record), cancellationToken);
        }

        if (outcome.DeadLetterArn is { Length: > 0 } deadLetter)
        {
            var (code, message) = response is null
                ? ("429", condition == "EventAgeExceeded" ? "Event age exceeded the maximum." : "Rate Exceeded.")
                : ("200", ErrorMessageOf(response.Payload));
            await DeliverAsync(Delivery(item, deadLetter, "DeadLetter", item.Payload.ToArray()) with { ErrorCode = code, ErrorMessage = message }, cancellationToken);
        }

        await queue.DeleteAsync(receiptHandle, cancellationToken);
    }

    private async Task BackOffAsync(AsyncEvent item, string reason, string receiptHandle, CancellationToken cancellationToken)
    {
        var throttles = item.Throttles + 1;
        var delay = delays.AfterThrottle(throttles);
        LogThrottled(item.RequestId, item.FunctionName, reason, delay);
        await queue.EnqueueAsync(item with { Throttles = throttles }, delay, cancellationToken);
        await queue.DeleteAsync(receiptHandle, cancellationToken);
    }

    // Tries the target now; when it cannot take the message, commits a Deliver event that retries with back-off.
    private async Task DeliverAsync(AsyncEvent delivery, CancellationToken cancellationToken)
    {
        try
        {
            await destinations.DeliverAsync(delivery, cancellationToken);
        }
        catch (UndeliverableException ex)
        {
            LogDeliveryImpossible(delivery.Purpose!, delivery.RequestId, delivery.Target!, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var delay = delays.AfterThrottle(1);
            LogDeliveryFailed(delivery.Purpose!, delivery.RequestId, delivery.Target!, delay, ex);
            await queue.EnqueueAsync(delivery with { Throttles = 1 }, delay, cancellationToken);
        }
    }

    private async Task RetryDeliveryAsync(AsyncEvent delivery, string receiptHandle, CancellationToken cancellationToken)
    {
        try
        {
            await destinations.DeliverAsync(delivery, cancellationToken);
        }
        catch (UndeliverableException ex)
        {
            LogDeliveryImpossible(delivery.Purpose!, delivery.RequestId, delivery.Target!, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var age = time.GetUtcNow().ToUnixTimeMilliseconds() - delivery.AcceptedAtMs;
            if (age > DeliveryMaximumAgeMs)
            {
                LogDeliveryAbandoned(delivery.Purpose!, delivery.RequestId, delivery.Target!, age / 1000);
            }
            else
            {
                var throttles = delivery.Throttles + 1;
                var delay = delays.AfterThrottle(throttles);
                LogDeliveryFailed(delivery.Purpose!, delivery.RequestId, delivery.Target!, delay, ex);
                await queue.EnqueueAsync(delivery with { Throttles = throttles }, delay, cancellationToken);
            }
        }

        await queue.DeleteAsync(receiptHandle, cancellationToken);
    }

    private AsyncEvent Delivery(AsyncEvent item, string target, string purpose, byte[] body) => item with
    {
        Kind = AsyncEventKind.Deliver,
        Target = target,
        Purpose = purpose,
        Payload = body,
        Throttles = 0,
        // A delivery's own age counts from its first attempt.
        AcceptedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
    };

    private static string ErrorMessageOf(ReadOnlyMemory<byte> payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errorMessage", out var message) && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString()!;
            }
        }
        catch (JsonException)
        {
        }

        return System.Text.Encoding.UTF8.GetString(payload.Span);
    }

    private void LogFunctionGone(AsyncEvent item) => AsyncLog.FunctionGone(logger, item.RequestId, item.FunctionName);

    private void LogRetrying(string requestId, string function, int attempt, int delay) => AsyncLog.Retrying(logger, requestId, function, attempt, delay);

    private void LogThrottled(string requestId, string function, string reason, int delay) => AsyncLog.Throttled(logger, requestId, function, reason, delay);

    private void LogDiscarded(string requestId, string function, string condition) => AsyncLog.Discarded(logger, requestId, function, condition);

    private void LogDeliveryFailed(string purpose, string requestId, string target, int delay, Exception ex) =>
        AsyncLog.DeliveryFailed(logger, purpose, requestId, target, delay, ex);

    private void LogDeliveryAbandoned(string purpose, string requestId, string target, long age) =>
        AsyncLog.DeliveryAbandoned(logger, purpose, requestId, target, age);

    private void LogDeliveryImpossible(string purpose, string requestId, string target, string reason) =>
        AsyncLog.DeliveryImpossible(logger, purpose, requestId, target, reason);

    private sealed record Outcome(AsyncEvent Item, ResolvedFunction Resolved, FunctionEventInvokeConfig? Config, string QualifiedArn)
    {
        public string? DeadLetterArn => Resolved.Version.Configuration.DeadLetterConfig?.TargetArn;

        public bool HasFailureTarget =>
            !string.IsNullOrEmpty(Config?.DestinationConfig.OnFailure?.Destination) || !string.IsNullOrEmpty(DeadLetterArn);
    }
}
