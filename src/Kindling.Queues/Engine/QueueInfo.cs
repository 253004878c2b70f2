namespace Kindling.Queues.Engine;

/// <summary>A queue: its name, ARN, and settable attributes (the effective values, defaults included).</summary>
public sealed record QueueInfo(string Name, string Arn, IReadOnlyDictionary<string, string> Attributes, long CreatedTimestamp, long LastModifiedTimestamp)
{
    /// <summary>True for a <c>.fifo</c> queue.</summary>
    public bool IsFifo => Attributes.TryGetValue(QueueAttributeNames.FifoQueue, out var fifo) && fifo == "true";
}
