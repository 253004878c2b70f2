namespace Kindling.Queues.Engine;

/// <summary>SQS's queue attribute names.</summary>
public static class QueueAttributeNames
{
#pragma warning disable CS1591 // The names are their own documentation.
    public const string All = "All";
    public const string Policy = "Policy";
    public const string VisibilityTimeout = "VisibilityTimeout";
    public const string MaximumMessageSize = "MaximumMessageSize";
    public const string MessageRetentionPeriod = "MessageRetentionPeriod";
    public const string ApproximateNumberOfMessages = "ApproximateNumberOfMessages";
    public const string ApproximateNumberOfMessagesNotVisible = "ApproximateNumberOfMessagesNotVisible";
    public const string ApproximateNumberOfMessagesDelayed = "ApproximateNumberOfMessagesDelayed";
    public const string CreatedTimestamp = "CreatedTimestamp";
    public const string LastModifiedTimestamp = "LastModifiedTimestamp";
    public const string QueueArn = "QueueArn";
    public const string DelaySeconds = "DelaySeconds";
    public const string ReceiveMessageWaitTimeSeconds = "ReceiveMessageWaitTimeSeconds";
    public const string RedrivePolicy = "RedrivePolicy";
    public const string RedriveAllowPolicy = "RedriveAllowPolicy";
    public const string FifoQueue = "FifoQueue";
    public const string ContentBasedDeduplication = "ContentBasedDeduplication";
    public const string KmsMasterKeyId = "KmsMasterKeyId";
    public const string KmsDataKeyReusePeriodSeconds = "KmsDataKeyReusePeriodSeconds";
    public const string DeduplicationScope = "DeduplicationScope";
    public const string FifoThroughputLimit = "FifoThroughputLimit";
    public const string SqsManagedSseEnabled = "SqsManagedSseEnabled";
#pragma warning restore CS1591

    /// <summary>Attributes computed by the queue, readable but not settable.</summary>
    public static readonly IReadOnlyList<string> Computed =
    [
        QueueArn, ApproximateNumberOfMessages, ApproximateNumberOfMessagesNotVisible, ApproximateNumberOfMessagesDelayed,
        CreatedTimestamp, LastModifiedTimestamp,
    ];

    /// <summary>Attributes a client may set.</summary>
    public static readonly IReadOnlySet<string> Settable = new HashSet<string>(StringComparer.Ordinal)
    {
        Policy, VisibilityTimeout, MaximumMessageSize, MessageRetentionPeriod, DelaySeconds, ReceiveMessageWaitTimeSeconds,
        RedrivePolicy, RedriveAllowPolicy, FifoQueue, ContentBasedDeduplication, KmsMasterKeyId, KmsDataKeyReusePeriodSeconds,
        DeduplicationScope, FifoThroughputLimit, SqsManagedSseEnabled,
    };
}
