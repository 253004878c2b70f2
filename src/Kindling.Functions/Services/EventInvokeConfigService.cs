using System.Text.RegularExpressions;
using Kindling.Functions.Errors;
using Kindling.Functions.Model;
using Kindling.Functions.Persistence;
using Kindling.Functions.Validation;
using Kindling.Storage.Metadata;

namespace Kindling.Functions.Services;

/// <summary>Asynchronous invocation settings per function version or alias.</summary>
public sealed partial class EventInvokeConfigService(FunctionStore functions, TimeProvider time)
{
    /// <summary>PutFunctionEventInvokeConfig (replaces) or UpdateFunctionEventInvokeConfig (merges).</summary>
    public async Task<FunctionEventInvokeConfig> PutAsync(string functionName, string? qualifier, EventInvokeConfigRequest request, bool merge, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Range(request.MaximumRetryAttempts, "maximumRetryAttempts", 0, 2);
        errors.Range(request.MaximumEventAgeInSeconds, "maximumEventAgeInSeconds", 60, 21600);
        errors.Length(request.DestinationConfig?.OnSuccess?.Destination, "destinationConfig.onSuccess.destination", 0, 350);
        errors.Length(request.DestinationConfig?.OnFailure?.Destination, "destinationConfig.onFailure.destination", 0, 350);
        errors.ThrowIfAny();
        if (request.MaximumRetryAttempts is null && request.MaximumEventAgeInSeconds is null
            && request.DestinationConfig?.OnSuccess?.Destination is null && request.DestinationConfig?.OnFailure?.Destination is null)
        {
            throw LambdaErrors.InvalidParameter("You must specify at least one of error handling or destination setting.");
        }

        var (name, q, arn) = await ResolveAsync(functionName, qualifier, cancellationToken);
        CheckDestination(request.DestinationConfig?.OnSuccess?.Destination, arn);
        CheckDestination(request.DestinationConfig?.OnFailure?.Destination, arn);
        var existing = await functions.Documents.GetAsync<FunctionEventInvokeConfig>(Tables.EventInvokeConfig, name, q, cancellationToken);
        if (merge && existing is null)
        {
            throw NotFound(arn);
        }

        var old = merge ? existing!.Value : null;
        var config = new FunctionEventInvokeConfig
        {
            LastModified = Timestamps.Epoch(time.GetUtcNow()),
            FunctionArn = arn,
            MaximumRetryAttempts = request.MaximumRetryAttempts ?? old?.MaximumRetryAttempts,
            MaximumEventAgeInSeconds = request.MaximumEventAgeInSeconds ?? old?.MaximumEventAgeInSeconds,
            DestinationConfig = new DestinationConfig(
                Target(request.DestinationConfig?.OnSuccess, old?.DestinationConfig.OnSuccess),
                Target(request.DestinationConfig?.OnFailure, old?.DestinationConfig.OnFailure)),
        };
        await functions.Documents.WriteAsync(Documents.Put(Tables.EventInvokeConfig, name, q, config, existing?.Version ?? 0), cancellationToken);
        return config;
    }

    /// <summary>GetFunctionEventInvokeConfig.</summary>
    public async Task<FunctionEventInvokeConfig> GetAsync(string functionName, string? qualifier, CancellationToken cancellationToken)
    {
        var (name, q, arn) = await ResolveAsync(functionName, qualifier, cancellationToken);
        return (await functions.Documents.GetAsync<FunctionEventInvokeConfig>(Tables.EventInvokeConfig, name, q, cancellationToken))?.Value
            ?? throw NotFound(arn);
    }

    /// <summary>DeleteFunctionEventInvokeConfig.</summary>
    public async Task DeleteAsync(string functionName, string? qualifier, CancellationToken cancellationToken)
    {
        var (name, q, arn) = await ResolveAsync(functionName, qualifier, cancellationToken);
        var existing = await functions.Documents.GetAsync<FunctionEventInvokeConfig>(Tables.EventInvokeConfig, name, q, cancellationToken)
            ?? throw NotFound(arn);
        await functions.Documents.WriteAsync(new DeleteItem(Tables.EventInvokeConfig, name, q, existing.Version), cancellationToken);
    }

    /// <summary>ListFunctionEventInvokeConfigs.</summary>
    public Task<(IReadOnlyList<FunctionEventInvokeConfig> Items, string? NextMarker)> ListAsync(
        string functionName, string? marker, int? maxItems, CancellationToken cancellationToken)
        => functions.ListPerQualifierAsync<FunctionEventInvokeConfig>(Tables.EventInvokeConfig, functionName, marker, maxItems, 50, cancellationToken);

    /// <summary>The configuration that applies to a resolved invocation, or null for the defaults.</summary>
    public async Task<FunctionEventInvokeConfig?> FindAsync(string name, string qualifier, CancellationToken cancellationToken) =>
        (await functions.Documents.GetAsync<FunctionEventInvokeConfig>(Tables.EventInvokeConfig, name, qualifier, cancellationToken))?.Value;

    private async Task<(string Name, string Qualifier, string Arn)> ResolveAsync(string functionName, string? qualifier, CancellationToken cancellationToken)
    {
        var reference = functions.Parse(functionName, qualifier);
        try
        {
            _ = await functions.ResolveAsync(reference, cancellationToken);
        }
        catch (LambdaException ex) when (ex.Code == "ResourceNotFoundException")
        {
            throw LambdaErrors.NotFound("The function doesn't exist.");
        }
        var q = reference.Qualifier ?? "$LATEST";
        return (reference.Name, q, functions.Account.FunctionArn(reference.Name, q));
    }

    private static DestinationTarget Target(DestinationTarget? given, DestinationTarget? old) =>
        given?.Destination is { Length: > 0 } ? given : given is not null ? new DestinationTarget(null) : old ?? new DestinationTarget(null);

    private static void CheckDestination(string? destination, string functionArn)
    {
        if (string.IsNullOrEmpty(destination))
        {
            return;
        }

        if (!DestinationRegex().IsMatch(destination))
        {
            throw LambdaErrors.InvalidParameter($"The provided destination config DestinationConfig(onSuccess=null, onFailure=null) is invalid. The destination ARN {destination} is invalid.");
        }

        if (destination == functionArn || functionArn.StartsWith(destination + ":", StringComparison.Ordinal))
        {
            throw LambdaErrors.InvalidParameter("You can't specify the function as a destination for itself.");
        }
    }

    private static LambdaException NotFound(string arn) =>
        LambdaErrors.NotFound($"The function {arn} doesn't have an EventInvokeConfig");

    [GeneratedRegex(@"^arn:(aws[a-zA-Z0-9-]*):(sqs|sns|lambda|events|s3):[a-z0-9-]*:(\d{12})?:.+$")]
    private static partial Regex DestinationRegex();
}
