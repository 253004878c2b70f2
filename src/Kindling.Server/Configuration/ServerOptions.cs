namespace Kindling.Server.Configuration;

/// <summary>The resolved settings of <c>kindling server</c>.</summary>
internal sealed record ServerOptions
{
    public required string Listen { get; init; }
    public required string DataDirectory { get; init; }
    public required string Region { get; init; }
    public required string AccountId { get; init; }
    public string? AccessKeyId { get; init; }
    public string? SecretAccessKey { get; init; }
    /// <summary>Where the runtime interface clients are (one directory per family); null: beside the executable.</summary>
    public string? RuntimesDirectory { get; init; }
    /// <summary>Interpreters named by the operator, by Lambda runtime identifier.</summary>
    public IReadOnlyDictionary<string, string> Interpreters { get; init; } = new Dictionary<string, string>();
    /// <summary>Scale of asynchronous retry delays (0–1), as given; <see cref="ServerOptionsValidator"/> checks it.</summary>
    public string AsyncRetryScale { get; init; } = "1";
    /// <summary>The account's concurrency limit, as given.</summary>
    public string ConcurrencyLimit { get; init; } = "1000";
    /// <summary>New execution environments per function per 10 seconds, as given.</summary>
    public string ScalingRate { get; init; } = "1000";
    /// <summary>The environments' total memory budget (bytes, or with K/M/G), as given; null: physical memory less 1 GiB.</summary>
    public string? MemoryBudget { get; init; }
    /// <summary>Pre-started sandboxes per recently used shape (0 disables them), as given.</summary>
    public string Prestarted { get; init; } = "2";
    /// <summary>Seed of weighted alias routing's random source, as given; null: unseeded.</summary>
    public string? RoutingSeed { get; init; }
}
