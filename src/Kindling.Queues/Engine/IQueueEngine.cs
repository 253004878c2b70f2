namespace Kindling.Queues.Engine;

/// <summary>
/// Durable queues with SQS's semantics. Every call that returns has committed its effect to the store: a message
/// whose send returned survives a crash. Queues are addressed by name; <see cref="FindByArnAsync"/> maps the ARNs
/// that destinations and dead-letter configurations name. Errors are <see cref="Errors.QueueException"/>s with
/// SQS's codes.
/// </summary>
public interface IQueueEngine
{
    /// <summary>Creates a queue, or returns the existing one if every attribute given matches it.</summary>
    ValueTask<QueueInfo> CreateQueueAsync(string name, IReadOnlyDictionary<string, string> attributes, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>The queue, or null.</summary>
    ValueTask<QueueInfo?> GetQueueAsync(string name, CancellationToken cancellationToken);

    /// <summary>The queue with this ARN (<c>arn:aws:sqs:region:account:name</c>), or null.</summary>
    ValueTask<QueueInfo?> FindByArnAsync(string arn, CancellationToken cancellationToken);

    /// <summary>Queue names in order, those starting with <paramref name="prefix"/>.</summary>
    ValueTask<IReadOnlyList<string>> ListQueuesAsync(string? prefix, CancellationToken cancellationToken);

    /// <summary>Deletes a queue and its messages.</summary>
    ValueTask DeleteQueueAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every attribute, computed ones (counts, ARN, timestamps) included.</summary>
    ValueTask<IReadOnlyDictionary<string, string>> GetAttributesAsync(string name, CancellationToken cancellationToken);

    /// <summary>Changes settable attributes.</summary>
    ValueTask SetAttributesAsync(string name, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken);

    /// <summary>Sends a message; it is durable when this returns.</summary>
    ValueTask<SentMessage> SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken);

    /// <summary>Sends up to ten messages in one commit; each succeeds or fails on its own.</summary>
    ValueTask<IReadOnlyList<SendOutcome>> SendBatchAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken);

    /// <summary>
    /// Receives up to <see cref="ReceiveOptions.MaxNumberOfMessages"/> messages, hiding them for the visibility
    /// timeout; waits up to <see cref="ReceiveOptions.WaitTimeSeconds"/> for one to arrive (woken by sends, not
    /// by polling). Messages received more than the redrive policy's <c>maxReceiveCount</c> move to the
    /// dead-letter queue instead.
    /// </summary>
    ValueTask<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, ReceiveOptions options, CancellationToken cancellationToken);

    /// <summary>Deletes the message of this delivery; a stale handle or a message already gone changes nothing.</summary>
    ValueTask DeleteMessageAsync(string queue, string receiptHandle, CancellationToken cancellationToken);

    /// <summary>Deletes up to ten deliveries in one commit; the error of each that failed, else null.</summary>
    ValueTask<IReadOnlyList<Errors.QueueException?>> DeleteMessageBatchAsync(string queue, IReadOnlyList<string> receiptHandles, CancellationToken cancellationToken);

    /// <summary>Hides an in-flight message for <paramref name="visibilityTimeoutSeconds"/> from now (0 makes it visible).</summary>
    ValueTask ChangeVisibilityAsync(string queue, string receiptHandle, int visibilityTimeoutSeconds, CancellationToken cancellationToken);

    /// <summary>Deletes every message of the queue.</summary>
    ValueTask PurgeAsync(string queue, CancellationToken cancellationToken);

    /// <summary>The queue's tags.</summary>
    ValueTask<IReadOnlyDictionary<string, string>> ListTagsAsync(string queue, CancellationToken cancellationToken);

    /// <summary>Adds or replaces tags.</summary>
    ValueTask TagAsync(string queue, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>Removes tags.</summary>
    ValueTask UntagAsync(string queue, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);
}
