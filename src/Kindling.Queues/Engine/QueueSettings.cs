using System.Globalization;

namespace Kindling.Queues.Engine;

/// <summary>The attributes the engine acts on, parsed once from a queue's attribute map.</summary>
internal sealed record QueueSettings(
    int VisibilityTimeout,
    int MaximumMessageSize,
    int MessageRetentionPeriod,
    int DelaySeconds,
    int ReceiveMessageWaitTimeSeconds,
    bool Fifo,
    bool ContentBasedDeduplication,
    bool DeduplicationPerGroup,
    RedrivePolicy? Redrive)
{
    public static QueueSettings From(IReadOnlyDictionary<string, string> attributes) => new(
        Int(attributes, QueueAttributeNames.VisibilityTimeout),
        Int(attributes, QueueAttributeNames.MaximumMessageSize),
        Int(attributes, QueueAttributeNames.MessageRetentionPeriod),
        Int(attributes, QueueAttributeNames.DelaySeconds),
        Int(attributes, QueueAttributeNames.ReceiveMessageWaitTimeSeconds),
        attributes.GetValueOrDefault(QueueAttributeNames.FifoQueue) == "true",
        attributes.GetValueOrDefault(QueueAttributeNames.ContentBasedDeduplication) == "true",
        attributes.GetValueOrDefault(QueueAttributeNames.DeduplicationScope) == "messageGroup",
        attributes.TryGetValue(QueueAttributeNames.RedrivePolicy, out var redrive) && redrive.Length > 0 ? RedrivePolicy.Parse(redrive) : null);

    private static int Int(IReadOnlyDictionary<string, string> attributes, string name) =>
        int.Parse(attributes[name], NumberStyles.None, CultureInfo.InvariantCulture);
}
