namespace Kindling.Functions.Model;

/// <summary>A destination target.</summary>
public sealed record DestinationTarget(string? Destination);

/// <summary>Success and failure destinations.</summary>
public sealed record DestinationConfig(DestinationTarget? OnSuccess, DestinationTarget? OnFailure);

/// <summary>Put/UpdateFunctionEventInvokeConfig body.</summary>
public sealed record EventInvokeConfigRequest(int? MaximumRetryAttempts, int? MaximumEventAgeInSeconds, DestinationConfig? DestinationConfig);

/// <summary>FunctionEventInvokeConfig as returned (LastModified in epoch seconds).</summary>
public sealed record FunctionEventInvokeConfig
{
    /// <summary>Last change, epoch seconds.</summary>
    public double LastModified { get; init; }
    /// <summary>The qualified function ARN.</summary>
    public required string FunctionArn { get; init; }
    /// <summary>Retries after a function error.</summary>
    public int? MaximumRetryAttempts { get; init; }
    /// <summary>Maximum age of an event.</summary>
    public int? MaximumEventAgeInSeconds { get; init; }
    /// <summary>Destinations (always present, members empty when unset).</summary>
    public required DestinationConfig DestinationConfig { get; init; }
}
