namespace Kindling.Functions.Model;

/// <summary>Lambda's GetLayerVersion / PublishLayerVersion response shape.</summary>
public sealed record LayerVersion
{
    /// <summary>Where the content is and its hash.</summary>
    public required LayerVersionContent Content { get; init; }
    /// <summary>The layer's ARN.</summary>
    public required string LayerArn { get; init; }
    /// <summary>This version's ARN.</summary>
    public required string LayerVersionArn { get; init; }
    /// <summary>Description.</summary>
    public string Description { get; init; } = "";
    /// <summary>Creation time, string form.</summary>
    public required string CreatedDate { get; init; }
    /// <summary>Version number.</summary>
    public required long Version { get; init; }
    /// <summary>Compatible runtimes.</summary>
    public IReadOnlyList<string>? CompatibleRuntimes { get; init; }
    /// <summary>License.</summary>
    public string? LicenseInfo { get; init; }
    /// <summary>Compatible architectures.</summary>
    public IReadOnlyList<string>? CompatibleArchitectures { get; init; }
}

/// <summary>A layer version's content.</summary>
public sealed record LayerVersionContent
{
    /// <summary>Download URL (filled by the API).</summary>
    public string? Location { get; init; }
    /// <summary>Base64 SHA-256.</summary>
    public required string CodeSha256 { get; init; }
    /// <summary>Zipped size.</summary>
    public long CodeSize { get; init; }
}

/// <summary>A layer version as stored.</summary>
public sealed record LayerVersionRecord(LayerVersion Layer, string CodeId, long UnzippedSize);

/// <summary>A layer version in listings.</summary>
public sealed record LayerVersionsListItem(
    string LayerVersionArn, long Version, string Description, string CreatedDate,
    IReadOnlyList<string>? CompatibleRuntimes, string? LicenseInfo, IReadOnlyList<string>? CompatibleArchitectures);

/// <summary>A layer in ListLayers.</summary>
public sealed record LayersListItem(string LayerName, string LayerArn, LayerVersionsListItem LatestMatchingVersion);

/// <summary>PublishLayerVersion's body.</summary>
public sealed record PublishLayerVersionRequest
{
    /// <summary>Description.</summary>
    public string? Description { get; init; }
    /// <summary>The content.</summary>
    public LayerContentInput? Content { get; init; }
    /// <summary>Compatible runtimes.</summary>
    public List<string>? CompatibleRuntimes { get; init; }
    /// <summary>License.</summary>
    public string? LicenseInfo { get; init; }
    /// <summary>Compatible architectures.</summary>
    public List<string>? CompatibleArchitectures { get; init; }
}

/// <summary>Layer content as sent.</summary>
public sealed record LayerContentInput(byte[]? ZipFile, string? S3Bucket, string? S3Key, string? S3ObjectVersion);

/// <summary>Layer-level data: the version counter (never reused).</summary>
public sealed record LayerMeta(long LastVersion);
