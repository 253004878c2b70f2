namespace Kindling.Invocation.Async;

/// <summary>Where the internal event queue lives, how many events run at once, and the retry-delay scale.</summary>
public sealed record AsyncInvokeOptions
{
    /// <summary>The SQLite file of the internal event queue (apart from the queues users see).</summary>
    public required string DatabasePath { get; init; }

    /// <summary>The region, for the internal engine's ARNs.</summary>
    public required string Region { get; init; }

    /// <summary>The account, for the internal engine's ARNs.</summary>
    public required string AccountId { get; init; }

    /// <summary>
    /// Multiplies every retry and back-off delay (AWS's: 1 min then 2 min after function errors, 1 s to 5 min after
    /// throttles). 1 in production; tests use e.g. 0.02 so that a retry waits about a second.
    /// </summary>
    public double RetryDelayScale { get; init; } = 1.0;

    /// <summary>Events invoked at the same time, across functions.</summary>
    public int MaxConcurrentInvokes { get; init; } = 32;
}
