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
}
