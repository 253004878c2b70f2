using Kindling.Functions.Arns;
using Kindling.Functions.Errors;
using Kindling.Functions.Services;
using Kindling.Queues.Engine;

namespace Kindling.Invocation.Async;

/// <summary>
/// Delivers a record or a dead-lettered event to its target: an SQS queue of the engine (by ARN) or another
/// function (an asynchronous invoke of it, through the internal queue). Throws when the target cannot take it now;
/// <see cref="UndeliverableException"/> when it never could.
/// </summary>
internal sealed class Destinations(IQueueEngine queues, AsyncEventQueue events, FunctionStore functions, TimeProvider time)
{
    private const int MaxErrorMessageBytes = 1024;

    public async Task DeliverAsync(AsyncEvent delivery, CancellationToken cancellationToken)
    {
        var target = delivery.Target!;
        if (target.StartsWith("arn:aws:sqs:", StringComparison.Ordinal))
        {
            var queue = await queues.FindByArnAsync(target, cancellationToken)
                ?? throw new InvalidOperationException($"The queue {target} does not exist.");
            var attributes = new Dictionary<string, MessageAttribute>();
            if (delivery.ErrorCode is not null)
            {
                attributes["RequestID"] = new("String", delivery.RequestId, null);
                attributes["ErrorCode"] = new("Number", delivery.ErrorCode, null);
                attributes["ErrorMessage"] = new("String", FirstKilobyte(delivery.ErrorMessage ?? ""), null);
            }

            try
            {
                await queues.SendAsync(
                    queue.Name,
                    new OutgoingMessage { Body = System.Text.Encoding.UTF8.GetString(delivery.Payload.Span), Attributes = attributes, SenderId = "AROAKINDLINGLAMBDA" },
                    cancellationToken);
            }
            catch (Kindling.Queues.Errors.QueueException ex) when (ex.Code is "InvalidParameterValue" or "InvalidMessageContents")
            {
                throw new UndeliverableException(ex.Message);
            }

            return;
        }

        if (target.StartsWith("arn:aws:lambda:", StringComparison.Ordinal))
        {
            var reference = FunctionReference.TryParse(target, functions.Account)
                ?? throw new UndeliverableException($"{target} is not a function ARN.");
            try
            {
                _ = await functions.ResolveAsync(reference, cancellationToken);
            }
            catch (LambdaException ex) when (ex.Code == "ResourceNotFoundException")
            {
                throw new InvalidOperationException($"The function {target} does not exist.", ex);
            }

            await events.EnqueueAsync(
                new AsyncEvent
                {
                    FunctionName = reference.Name,
                    Qualifier = reference.Qualifier,
                    RequestId = Guid.NewGuid().ToString(),
                    AcceptedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
                    Payload = delivery.Payload,
                },
                0,
                cancellationToken);
            return;
        }

        throw new UndeliverableException($"Kindling delivers to SQS queues and functions; {target} is neither.");
    }

    private static string FirstKilobyte(string message)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(message) <= MaxErrorMessageBytes)
        {
            return message;
        }

        var length = Math.Min(message.Length, MaxErrorMessageBytes);
        while (System.Text.Encoding.UTF8.GetByteCount(message.AsSpan(0, length)) > MaxErrorMessageBytes)
        {
            length--;
        }

        if (length > 0 && char.IsHighSurrogate(message[length - 1]))
        {
            length--;
        }

        return message[..length];
    }
}
