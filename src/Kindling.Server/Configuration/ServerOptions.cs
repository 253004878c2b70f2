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
}
