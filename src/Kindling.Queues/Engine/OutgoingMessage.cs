namespace Kindling.Queues.Engine;

/// <summary>A message to send.</summary>
public sealed record OutgoingMessage
{
    /// <summary>The body.</summary>
    public required string Body { get; init; }

    /// <summary>Per-message delay; null takes the queue's <c>DelaySeconds</c>.</summary>
    public int? DelaySeconds { get; init; }

    /// <summary>Message attributes by name.</summary>
    public IReadOnlyDictionary<string, MessageAttribute> Attributes { get; init; } = new Dictionary<string, MessageAttribute>();

    /// <summary>The <c>AWSTraceHeader</c> system attribute.</summary>
    public string? TraceHeader { get; init; }

    /// <summary>FIFO: the message group.</summary>
    public string? MessageGroupId { get; init; }

    /// <summary>FIFO: the deduplication id; null with content-based deduplication takes the body's SHA-256.</summary>
    public string? MessageDeduplicationId { get; init; }

    /// <summary>Who sent it (<c>SenderId</c>).</summary>
    public string SenderId { get; init; } = "";
}
