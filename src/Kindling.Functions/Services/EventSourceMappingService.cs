using System.Text.Json;
using System.Text.RegularExpressions;
using Kindling.Functions.Errors;
using Kindling.Functions.Model;
using Kindling.Functions.Persistence;
using Kindling.Functions.State;
using Kindling.Functions.Validation;
using Kindling.Storage.Metadata;

namespace Kindling.Functions.Services;

/// <summary>
/// Event source mappings: create, get, update, delete, list, with Lambda's defaults per source type and its
/// state transitions (Creating → Enabled/Disabled, Updating/Enabling/Disabling → Enabled/Disabled).
/// Polling the sources is the invocation layer's work.
/// </summary>
public sealed partial class EventSourceMappingService(FunctionStore functions, FunctionStateQueue stateQueue, TimeProvider time)
{
    /// <summary>CreateEventSourceMapping (202).</summary>
    public async Task<EventSourceMappingConfiguration> CreateAsync(EventSourceMappingRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required(request.FunctionName, "functionName");
        CheckSchema(request, errors);
        errors.ThrowIfAny();
        var kind = SourceKind(request.EventSourceArn, request.SelfManagedEventSource is not null);
        var functionArn = await ResolveFunctionAsync(request.FunctionName!, cancellationToken);
        var batchSize = request.BatchSize ?? (kind == "sqs" ? 10 : 100);
        var window = request.MaximumBatchingWindowInSeconds ?? 0;
        if (kind == "sqs" && batchSize > 10 && window < 1)
        {
            throw LambdaErrors.InvalidParameter("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
        }

        var stream = kind is "kinesis" or "dynamodb";
        if ((stream || kind == "kafka") && request.StartingPosition is null)
        {
            throw LambdaErrors.InvalidParameter("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null");
        }

        if (kind == "sqs" && request.StartingPosition is not null)
        {
            throw LambdaErrors.InvalidParameter("StartingPosition is not valid for SQS event sources.");
        }

        if (kind == "sqs")
        {
            var (existing, _) = await ListAsync(request.EventSourceArn, null, null, 10000, cancellationToken);
            if (existing.FirstOrDefault(m => m.FunctionArn == functionArn) is { } duplicate)
            {
                throw LambdaErrors.Conflict(
                    $"An event source mapping with SQS arn (\" {request.EventSourceArn} \") and function (\" {functions.Parse(request.FunctionName!, null).Name} \") already exists. Please update or delete the existing mapping with UUID {duplicate.UUID}");
            }
        }

        var uuid = Guid.NewGuid().ToString();
        var configuration = new EventSourceMappingConfiguration
        {
            UUID = uuid,
            StartingPosition = request.StartingPosition,
            StartingPositionTimestamp = request.StartingPositionTimestamp,
            BatchSize = batchSize,
            MaximumBatchingWindowInSeconds = window,
            ParallelizationFactor = stream ? request.ParallelizationFactor ?? 1 : null,
            EventSourceArn = request.EventSourceArn,
            FilterCriteria = request.FilterCriteria,
            FunctionArn = functionArn,
            LastModified = Timestamps.Epoch(time.GetUtcNow()),
            LastProcessingResult = stream ? "No records processed" : null,
            State = "Creating",
            StateTransitionReason = "USER_INITIATED",
            DestinationConfig = stream ? request.DestinationConfig ?? new DestinationConfig(null, new DestinationTarget(null)) : request.DestinationConfig,
            Topics = request.Topics,
            Queues = request.Queues,
            SourceAccessConfigurations = request.SourceAccessConfigurations,
            SelfManagedEventSource = request.SelfManagedEventSource,
            MaximumRecordAgeInSeconds = stream ? request.MaximumRecordAgeInSeconds ?? -1 : null,
            BisectBatchOnFunctionError = stream ? request.BisectBatchOnFunctionError ?? false : null,
            MaximumRetryAttempts = stream ? request.MaximumRetryAttempts ?? -1 : null,
            TumblingWindowInSeconds = stream ? request.TumblingWindowInSeconds ?? 0 : null,
            FunctionResponseTypes = request.FunctionResponseTypes ?? [],
            ScalingConfig = request.ScalingConfig,
            KMSKeyArn = request.KMSKeyArn,
            EventSourceMappingArn = functions.Account.EventSourceMappingArn(uuid),
        };
        var record = new EventSourceMappingRecord(configuration, request.Enabled ?? true, request.Tags ?? new Dictionary<string, string>());
        await functions.Documents.WriteAsync(Documents.Put(Tables.EventSourceMapping, uuid, "", record, 0), cancellationToken);
        stateQueue.Enqueue(FunctionStateQueue.MappingPrefix + uuid);
        return configuration;
    }

    /// <summary>GetEventSourceMapping.</summary>
    public async Task<EventSourceMappingConfiguration> GetAsync(string uuid, CancellationToken cancellationToken) =>
        (await RequireAsync(uuid, cancellationToken)).Value.Configuration;

    /// <summary>UpdateEventSourceMapping (202).</summary>
    public async Task<EventSourceMappingConfiguration> UpdateAsync(string uuid, EventSourceMappingRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        CheckSchema(request, errors);
        errors.ThrowIfAny();
        var current = await RequireAsync(uuid, cancellationToken);
        var c = current.Value.Configuration;
        if (c.State is "Creating" or "Updating" or "Enabling" or "Disabling" or "Deleting")
        {
            throw new LambdaException(System.Net.HttpStatusCode.BadRequest, "ResourceInUseException",
                $"Cannot update the event source mapping because it is in use.");
        }

        var functionArn = request.FunctionName is null ? c.FunctionArn : await ResolveFunctionAsync(request.FunctionName, cancellationToken);
        var batchSize = request.BatchSize ?? c.BatchSize;
        var window = request.MaximumBatchingWindowInSeconds ?? c.MaximumBatchingWindowInSeconds ?? 0;
        if (SourceKind(c.EventSourceArn, c.SelfManagedEventSource is not null) == "sqs" && batchSize > 10 && window < 1)
        {
            throw LambdaErrors.InvalidParameter("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
        }

        var enabled = request.Enabled ?? current.Value.Enabled;
        var state = enabled == current.Value.Enabled ? "Updating" : enabled ? "Enabling" : "Disabling";
        var updated = c with
        {
            FunctionArn = functionArn,
            BatchSize = batchSize,
            MaximumBatchingWindowInSeconds = window,
            ParallelizationFactor = request.ParallelizationFactor ?? c.ParallelizationFactor,
            FilterCriteria = request.FilterCriteria ?? c.FilterCriteria,
            DestinationConfig = request.DestinationConfig ?? c.DestinationConfig,
            MaximumRecordAgeInSeconds = request.MaximumRecordAgeInSeconds ?? c.MaximumRecordAgeInSeconds,
            BisectBatchOnFunctionError = request.BisectBatchOnFunctionError ?? c.BisectBatchOnFunctionError,
            MaximumRetryAttempts = request.MaximumRetryAttempts ?? c.MaximumRetryAttempts,
            TumblingWindowInSeconds = request.TumblingWindowInSeconds ?? c.TumblingWindowInSeconds,
            FunctionResponseTypes = request.FunctionResponseTypes ?? c.FunctionResponseTypes,
            ScalingConfig = request.ScalingConfig ?? c.ScalingConfig,
            SourceAccessConfigurations = request.SourceAccessConfigurations ?? c.SourceAccessConfigurations,
            KMSKeyArn = request.KMSKeyArn ?? c.KMSKeyArn,
            LastModified = Timestamps.Epoch(time.GetUtcNow()),
            State = state,
            StateTransitionReason = "USER_INITIATED",
        };
        try
        {
            await functions.Documents.WriteAsync(
                Documents.Put(Tables.EventSourceMapping, uuid, "", current.Value with { Configuration = updated, Enabled = enabled }, current.Version),
                cancellationToken);
        }
        catch (StoreConditionFailedException)
        {
            throw new LambdaException(System.Net.HttpStatusCode.BadRequest, "ResourceInUseException", "Cannot update the event source mapping because it is in use.");
        }

        stateQueue.Enqueue(FunctionStateQueue.MappingPrefix + uuid);
        return updated;
    }

    /// <summary>DeleteEventSourceMapping (202): returns the configuration in state Deleting.</summary>
    public async Task<EventSourceMappingConfiguration> DeleteAsync(string uuid, CancellationToken cancellationToken)
    {
        var current = await RequireAsync(uuid, cancellationToken);
        await functions.Documents.WriteAsync(new DeleteItem(Tables.EventSourceMapping, uuid, "", current.Version), cancellationToken);
        return current.Value.Configuration with { State = "Deleting", StateTransitionReason = "USER_INITIATED" };
    }

    /// <summary>ListEventSourceMappings, filtered by source and/or function.</summary>
    public async Task<(IReadOnlyList<EventSourceMappingConfiguration> Mappings, string? NextMarker)> ListAsync(
        string? eventSourceArn, string? functionName, string? marker, int? maxItems, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Range(maxItems, "maxItems", 1, 10000);
        errors.ThrowIfAny();
        string? name = null;
        string? qualifier = null;
        if (functionName is not null)
        {
            var reference = functions.Parse(functionName, null);
            (name, qualifier) = (reference.Name, reference.Qualifier);
        }

        var all = new List<EventSourceMappingConfiguration>();
        await foreach (var (_, record) in functions.Documents.ScanAllAsync<EventSourceMappingRecord>(Tables.EventSourceMapping, cancellationToken))
        {
            var c = record.Configuration;
            if (eventSourceArn is not null && c.EventSourceArn != eventSourceArn)
            {
                continue;
            }

            if (name is not null && c.FunctionArn != functions.Account.FunctionArn(name, qualifier))
            {
                continue;
            }

            all.Add(c);
        }

        return Pagination.Page(all, marker, maxItems, defaultMax: 100);
    }

    /// <summary>Moves a mapping from a transitional state to Enabled or Disabled.</summary>
    public async Task SettleAsync(string uuid, CancellationToken cancellationToken)
    {
        var current = await functions.Documents.GetAsync<EventSourceMappingRecord>(Tables.EventSourceMapping, uuid, "", cancellationToken);
        if (current is null || current.Value.Configuration.State is "Enabled" or "Disabled")
        {
            return;
        }

        var settled = current.Value with
        {
            Configuration = current.Value.Configuration with { State = current.Value.Enabled ? "Enabled" : "Disabled" },
        };
        try
        {
            await functions.Documents.WriteAsync(Documents.Put(Tables.EventSourceMapping, uuid, "", settled, current.Version), cancellationToken);
        }
        catch (StoreConditionFailedException)
        {
            stateQueue.Enqueue(FunctionStateQueue.MappingPrefix + uuid);
        }
    }

    private async Task<Versioned<EventSourceMappingRecord>> RequireAsync(string uuid, CancellationToken cancellationToken) =>
        await functions.Documents.GetAsync<EventSourceMappingRecord>(Tables.EventSourceMapping, uuid, "", cancellationToken)
        ?? throw LambdaErrors.NotFound("The resource you requested does not exist.");

    private async Task<string> ResolveFunctionAsync(string functionName, CancellationToken cancellationToken)
    {
        var reference = functions.Parse(functionName, null);
        try
        {
            _ = await functions.ResolveAsync(reference, cancellationToken);
        }
        catch (LambdaException ex) when (ex.Code == "ResourceNotFoundException")
        {
            throw LambdaErrors.InvalidParameter("Function does not exist");
        }

        return functions.Account.FunctionArn(reference.Name, reference.Qualifier);
    }

    private static string SourceKind(string? arn, bool selfManaged)
    {
        if (arn is null)
        {
            return selfManaged ? "kafka" : throw LambdaErrors.InvalidParameter("Unrecognized event source.");
        }

        var match = SourceArnRegex().Match(arn);
        if (!match.Success)
        {
            throw LambdaErrors.InvalidParameter("Unrecognized event source, must be kinesis, dynamodb stream, sqs, mq or kafka.");
        }

        return match.Groups["service"].Value switch
        {
            "dynamodb" => "dynamodb",
            "kinesis" => "kinesis",
            "sqs" => "sqs",
            "kafka" => "kafka",
            "mq" => "mq",
            _ => throw LambdaErrors.InvalidParameter("Unrecognized event source, must be kinesis, dynamodb stream, sqs, mq or kafka."),
        };
    }

    private static void CheckSchema(EventSourceMappingRequest request, ValidationErrors errors)
    {
        errors.Range(request.BatchSize, "batchSize", 1, 10000);
        errors.Range(request.MaximumBatchingWindowInSeconds, "maximumBatchingWindowInSeconds", 0, 300);
        errors.Range(request.ParallelizationFactor, "parallelizationFactor", 1, 10);
        errors.Range(request.MaximumRecordAgeInSeconds, "maximumRecordAgeInSeconds", -1, 604800);
        errors.Range(request.MaximumRetryAttempts, "maximumRetryAttempts", -1, 10000);
        errors.Range(request.TumblingWindowInSeconds, "tumblingWindowInSeconds", 0, 900);
        errors.Range(request.ScalingConfig?.MaximumConcurrency, "scalingConfig.maximumConcurrency", 2, 1000);
        errors.Enum(request.StartingPosition, "startingPosition", ["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"]);
        for (var i = 0; i < (request.FunctionResponseTypes?.Count ?? 0); i++)
        {
            errors.Enum(request.FunctionResponseTypes![i], $"functionResponseTypes.{i + 1}.member", ["ReportBatchItemFailures"]);
        }

        foreach (var filter in request.FilterCriteria?.Filters ?? [])
        {
            if (filter.Pattern is null || !IsJsonObject(filter.Pattern))
            {
                throw LambdaErrors.InvalidParameter($"Invalid filter pattern definition.");
            }
        }
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^arn:(aws[a-zA-Z0-9-]*):(?<service>[a-z0-9-]+):[a-z0-9-]*:\d{12}:.+$")]
    private static partial Regex SourceArnRegex();
}
