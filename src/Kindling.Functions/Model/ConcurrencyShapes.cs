namespace Kindling.Functions.Model;

/// <summary>PutFunctionConcurrency body and GetFunctionConcurrency result.</summary>
public sealed record Concurrency(int? ReservedConcurrentExecutions);

/// <summary>PutProvisionedConcurrencyConfig body.</summary>
public sealed record ProvisionedConcurrencyRequest(int? ProvisionedConcurrentExecutions);

/// <summary>A provisioned concurrency configuration as returned by Get and Put.</summary>
public sealed record ProvisionedConcurrencyConfig
{
    /// <summary>Requested environments.</summary>
    public int RequestedProvisionedConcurrentExecutions { get; init; }
    /// <summary>Environments allocated so far.</summary>
    public int AllocatedProvisionedConcurrentExecutions { get; init; }
    /// <summary>Environments ready to serve.</summary>
    public int AvailableProvisionedConcurrentExecutions { get; init; }
    /// <summary>IN_PROGRESS, READY or FAILED.</summary>
    public required string Status { get; init; }
    /// <summary>Why it failed.</summary>
    public string? StatusReason { get; init; }
    /// <summary>Last change, string form.</summary>
    public required string LastModified { get; init; }
    /// <summary>The qualified function ARN (listings only).</summary>
    public string? FunctionArn { get; init; }
}
