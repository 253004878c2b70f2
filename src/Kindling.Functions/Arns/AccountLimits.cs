namespace Kindling.Functions.Arns;

/// <summary>The account-level limits GetAccountSettings reports and concurrency rules enforce.</summary>
public sealed record AccountLimits
{
    /// <summary>Concurrent executions for the account.</summary>
    public int ConcurrentExecutions { get; init; } = 1000;
    /// <summary>The unreserved pool never goes below this.</summary>
    public int MinimumUnreservedConcurrency { get; init; } = 100;
    /// <summary>Total code storage.</summary>
    public long TotalCodeSize { get; init; } = 80_530_636_800;
    /// <summary>Unzipped function plus layers.</summary>
    public long CodeSizeUnzipped { get; init; } = 262_144_000;
    /// <summary>Zipped direct upload.</summary>
    public long CodeSizeZipped { get; init; } = 52_428_800;
}
