using System.Text.Json.Nodes;

namespace Kindling.Functions.Model;

/// <summary>Create/UpdateEventSourceMapping body; members Lambda passes through are kept as JSON.</summary>
public sealed record EventSourceMappingRequest
{
    /// <summary>Source ARN.</summary>
    public string? EventSourceArn { get; init; }
    /// <summary>Target function.</summary>
    public string? FunctionName { get; init; }
    /// <summary>Enabled.</summary>
    public bool? Enabled { get; init; }
    /// <summary>Batch size.</summary>
    public int? BatchSize { get; init; }
    /// <summary>Batching window.</summary>
    public int? MaximumBatchingWindowInSeconds { get; init; }
    /// <summary>Parallelization (streams).</summary>
    public int? ParallelizationFactor { get; init; }
    /// <summary>Starting position (streams).</summary>
    public string? StartingPosition { get; init; }
    /// <summary>Starting timestamp.</summary>
    public double? StartingPositionTimestamp { get; init; }
    /// <summary>Destinations (streams).</summary>
    public DestinationConfig? DestinationConfig { get; init; }
    /// <summary>Maximum record age (streams).</summary>
    public int? MaximumRecordAgeInSeconds { get; init; }
    /// <summary>Bisect on error (streams).</summary>
    public bool? BisectBatchOnFunctionError { get; init; }
    /// <summary>Retries (streams).</summary>
    public int? MaximumRetryAttempts { get; init; }
    /// <summary>Tumbling window.</summary>
    public int? TumblingWindowInSeconds { get; init; }
    /// <summary>Kafka/MQ topics.</summary>
    public List<string>? Topics { get; init; }
    /// <summary>MQ queues.</summary>
    public List<string>? Queues { get; init; }
    /// <summary>Access configurations.</summary>
    public List<JsonObject>? SourceAccessConfigurations { get; init; }
    /// <summary>Self-managed source.</summary>
    public JsonObject? SelfManagedEventSource { get; init; }
    /// <summary>ReportBatchItemFailures.</summary>
    public List<string>? FunctionResponseTypes { get; init; }
    /// <summary>Filters.</summary>
    public FilterCriteria? FilterCriteria { get; init; }
    /// <summary>Scaling.</summary>
    public ScalingConfig? ScalingConfig { get; init; }
    /// <summary>Tags (create only).</summary>
    public Dictionary<string, string>? Tags { get; init; }
    /// <summary>KMS key for filters.</summary>
    public string? KMSKeyArn { get; init; }
}

/// <summary>Event filters.</summary>
public sealed record FilterCriteria(List<Filter>? Filters);

/// <summary>One filter pattern.</summary>
public sealed record Filter(string? Pattern);

/// <summary>Scaling of SQS pollers.</summary>
public sealed record ScalingConfig(int? MaximumConcurrency);

/// <summary>EventSourceMappingConfiguration as returned (LastModified in epoch seconds).</summary>
public sealed record EventSourceMappingConfiguration
{
    /// <summary>Identifier.</summary>
    public required string UUID { get; init; }
    /// <summary>Starting position.</summary>
    public string? StartingPosition { get; init; }
    /// <summary>Starting timestamp.</summary>
    public double? StartingPositionTimestamp { get; init; }
    /// <summary>Batch size.</summary>
    public int BatchSize { get; init; }
    /// <summary>Batching window.</summary>
    public int? MaximumBatchingWindowInSeconds { get; init; }
    /// <summary>Parallelization.</summary>
    public int? ParallelizationFactor { get; init; }
    /// <summary>Source ARN.</summary>
    public string? EventSourceArn { get; init; }
    /// <summary>Filters.</summary>
    public FilterCriteria? FilterCriteria { get; init; }
    /// <summary>Target function ARN.</summary>
    public required string FunctionArn { get; init; }
    /// <summary>Last change, epoch seconds.</summary>
    public double LastModified { get; init; }
    /// <summary>Last poll result.</summary>
    public string? LastProcessingResult { get; init; }
    /// <summary>Creating, Enabling, Enabled, Disabling, Disabled, Updating, Deleting.</summary>
    public required string State { get; init; }
    /// <summary>Why the state changed.</summary>
    public required string StateTransitionReason { get; init; }
    /// <summary>Destinations.</summary>
    public DestinationConfig? DestinationConfig { get; init; }
    /// <summary>Topics.</summary>
    public IReadOnlyList<string>? Topics { get; init; }
    /// <summary>Queues.</summary>
    public IReadOnlyList<string>? Queues { get; init; }
    /// <summary>Access configurations.</summary>
    public IReadOnlyList<JsonObject>? SourceAccessConfigurations { get; init; }
    /// <summary>Self-managed source.</summary>
    public JsonObject? SelfManagedEventSource { get; init; }
    /// <summary>Maximum record age.</summary>
    public int? MaximumRecordAgeInSeconds { get; init; }
    /// <summary>Bisect on error.</summary>
    public bool? BisectBatchOnFunctionError { get; init; }
    /// <summary>Retries.</summary>
    public int? MaximumRetryAttempts { get; init; }
    /// <summary>Tumbling window.</summary>
    public int? TumblingWindowInSeconds { get; init; }
    /// <summary>Response types.</summary>
    public IReadOnlyList<string>? FunctionResponseTypes { get; init; }
    /// <summary>Scaling.</summary>
    public ScalingConfig? ScalingConfig { get; init; }
    /// <summary>KMS key for filters.</summary>
    public string? KMSKeyArn { get; init; }
    /// <summary>The mapping's ARN.</summary>
    public required string EventSourceMappingArn { get; init; }
}

/// <summary>An event source mapping as stored, with its tags and whether it should be enabled.</summary>
public sealed record EventSourceMappingRecord(EventSourceMappingConfiguration Configuration, bool Enabled, IReadOnlyDictionary<string, string> Tags);
