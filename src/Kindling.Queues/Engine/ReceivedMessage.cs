namespace Kindling.Queues.Engine;

/// <summary>A message as received: body, attributes, and the state of this delivery.</summary>
public sealed record ReceivedMessage
{
    /// <summary>The message id.</summary>
    public required string MessageId { get; init; }

    /// <summary>The handle that deletes or changes the visibility of this delivery.</summary>
    public required string ReceiptHandle { get; init; }

    /// <summary>The body.</summary>
    public required string Body { get; init; }

    /// <summary>MD5 of the body, hex.</summary>
    public required string Md5OfBody { get; init; }

    /// <summary>All message attributes.</summary>
    public required IReadOnlyDictionary<string, MessageAttribute> Attributes { get; init; }

    /// <summary>Deliveries so far, this one included.</summary>
    public required int ReceiveCount { get; init; }

    /// <summary>When the message was sent (epoch ms).</summary>
    public required long SentTimestamp { get; init; }

    /// <summary>When the message was first received (epoch ms).</summary>
    public required long FirstReceiveTimestamp { get; init; }

    /// <summary>The sender.</summary>
    public required string SenderId { get; init; }

    /// <summary>The <c>AWSTraceHeader</c> system attribute.</summary>
    public string? TraceHeader { get; init; }

    /// <summary>FIFO: the message group.</summary>
    public string? MessageGroupId { get; init; }

    /// <summary>FIFO: the deduplication id.</summary>
    public string? MessageDeduplicationId { get; init; }

    /// <summary>FIFO: the sequence number.</summary>
    public string? SequenceNumber { get; init; }
}
