namespace Kindling.Functions.Model;

/// <summary>Code of a function as sent in CreateFunction.</summary>
public sealed record FunctionCode
{
    /// <summary>Base64 zip (decoded by the serializer).</summary>
    public byte[]? ZipFile { get; init; }
    /// <summary>S3 bucket (not supported here).</summary>
    public string? S3Bucket { get; init; }
    /// <summary>S3 key.</summary>
    public string? S3Key { get; init; }
    /// <summary>S3 object version.</summary>
    public string? S3ObjectVersion { get; init; }
    /// <summary>Container image URI.</summary>
    public string? ImageUri { get; init; }
    /// <summary>Source KMS key.</summary>
    public string? SourceKMSKeyArn { get; init; }
}

/// <summary>Environment variables as sent.</summary>
public sealed record EnvironmentRequest(Dictionary<string, string>? Variables);

/// <summary>VPC settings as sent.</summary>
public sealed record VpcConfigRequest(List<string>? SubnetIds, List<string>? SecurityGroupIds, bool? Ipv6AllowedForDualStack);

/// <summary>SnapStart as sent.</summary>
public sealed record SnapStartRequest(string? ApplyOn);

/// <summary>The settings shared by CreateFunction and UpdateFunctionConfiguration.</summary>
public record FunctionSettingsRequest
{
    /// <summary>Execution role ARN.</summary>
    public string? Role { get; init; }
    /// <summary>Runtime identifier.</summary>
    public string? Runtime { get; init; }
    /// <summary>Handler.</summary>
    public string? Handler { get; init; }
    /// <summary>Description.</summary>
    public string? Description { get; init; }
    /// <summary>Timeout in seconds.</summary>
    public int? Timeout { get; init; }
    /// <summary>Memory in MB.</summary>
    public int? MemorySize { get; init; }
    /// <summary>VPC settings.</summary>
    public VpcConfigRequest? VpcConfig { get; init; }
    /// <summary>Environment variables.</summary>
    public EnvironmentRequest? Environment { get; init; }
    /// <summary>Dead-letter target.</summary>
    public DeadLetterConfig? DeadLetterConfig { get; init; }
    /// <summary>KMS key.</summary>
    public string? KMSKeyArn { get; init; }
    /// <summary>Tracing.</summary>
    public TracingConfig? TracingConfig { get; init; }
    /// <summary>Layer version ARNs.</summary>
    public List<string>? Layers { get; init; }
    /// <summary>Image overrides.</summary>
    public ImageConfig? ImageConfig { get; init; }
    /// <summary>/tmp size.</summary>
    public EphemeralStorage? EphemeralStorage { get; init; }
    /// <summary>SnapStart.</summary>
    public SnapStartRequest? SnapStart { get; init; }
    /// <summary>Logging.</summary>
    public LoggingConfig? LoggingConfig { get; init; }
}

/// <summary>CreateFunction's body.</summary>
public sealed record CreateFunctionRequest : FunctionSettingsRequest
{
    /// <summary>Name, partial ARN or ARN.</summary>
    public string? FunctionName { get; init; }
    /// <summary>The code.</summary>
    public FunctionCode? Code { get; init; }
    /// <summary>Publish a version at once.</summary>
    public bool? Publish { get; init; }
    /// <summary>Zip or Image.</summary>
    public string? PackageType { get; init; }
    /// <summary>Tags.</summary>
    public Dictionary<string, string>? Tags { get; init; }
    /// <summary>Exactly one architecture.</summary>
    public List<string>? Architectures { get; init; }
    /// <summary>Code signing (not supported).</summary>
    public string? CodeSigningConfigArn { get; init; }
}

/// <summary>UpdateFunctionConfiguration's body.</summary>
public sealed record UpdateFunctionConfigurationRequest : FunctionSettingsRequest
{
    /// <summary>Only update when this is the current revision.</summary>
    public string? RevisionId { get; init; }
}

/// <summary>UpdateFunctionCode's body.</summary>
public sealed record UpdateFunctionCodeRequest
{
    /// <summary>Base64 zip.</summary>
    public byte[]? ZipFile { get; init; }
    /// <summary>S3 bucket.</summary>
    public string? S3Bucket { get; init; }
    /// <summary>S3 key.</summary>
    public string? S3Key { get; init; }
    /// <summary>S3 object version.</summary>
    public string? S3ObjectVersion { get; init; }
    /// <summary>Image URI.</summary>
    public string? ImageUri { get; init; }
    /// <summary>Publish a version after the update.</summary>
    public bool? Publish { get; init; }
    /// <summary>Validate only.</summary>
    public bool? DryRun { get; init; }
    /// <summary>Only update when this is the current revision.</summary>
    public string? RevisionId { get; init; }
    /// <summary>Architectures.</summary>
    public List<string>? Architectures { get; init; }
    /// <summary>Source KMS key.</summary>
    public string? SourceKMSKeyArn { get; init; }
}

/// <summary>PublishVersion's body.</summary>
public sealed record PublishVersionRequest(string? CodeSha256, string? Description, string? RevisionId);
