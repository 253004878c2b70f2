namespace Kindling.Queues.Engine;

/// <summary>How to receive: how many messages, for how long they stay hidden, how long to wait for one.</summary>
public sealed record ReceiveOptions
{
    /// <summary>1 to 10.</summary>
    public int MaxNumberOfMessages { get; init; } = 1;

    /// <summary>Null takes the queue's <c>VisibilityTimeout</c>.</summary>
    public int? VisibilityTimeoutSeconds { get; init; }

    /// <summary>Null takes the queue's <c>ReceiveMessageWaitTimeSeconds</c>; 0 to 20.</summary>
    public int? WaitTimeSeconds { get; init; }
}
