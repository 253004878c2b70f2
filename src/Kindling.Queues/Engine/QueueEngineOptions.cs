namespace Kindling.Queues.Engine;

/// <summary>Where the queues live and how their ARNs read.</summary>
public sealed record QueueEngineOptions
{
    /// <summary>The SQLite database file.</summary>
    public required string DatabasePath { get; init; }

    /// <summary>The region in queue ARNs.</summary>
    public required string Region { get; init; }

    /// <summary>The account in queue ARNs.</summary>
    public required string AccountId { get; init; }
}
