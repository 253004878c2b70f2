namespace Kindling.Functions.Model;

/// <summary>Lambda's FunctionConfiguration shape, exactly as the API returns it (null members are omitted).</summary>
public sealed record FunctionConfiguration
{
    /// <summary>The function's name.</summary>
    public required string FunctionName { get; init; }
    /// <summary>The function's ARN (qualified for published versions).</summary>
    public required string FunctionArn { get; init; }
    /// <summary>The runtime identifier (zip functions).</summary>
    public string? Runtime { get; init; }
    /// <summary>The execution role.</summary>
    public required string Role { get; init; }
    /// <summary>The handler (zip functions).</summary>
    public string? Handler { get; init; }
    /// <summary>Size of the deployment package in bytes.</summary>
    public long CodeSize { get; init; }
    /// <summary>The description.</summary>
    public string Description { get; init; } = "";
    /// <summary>Timeout in seconds.</summary>
    public int Timeout { get; init; } = 3;
    /// <summary>Memory in MB.</summary>
    public int MemorySize { get; init; } = 128;
    /// <summary>Last modification, e.g. <c>2020-04-10T19:06:32.563+0000</c>.</summary>
    public required string LastModified { get; init; }
    /// <summary>Base64 SHA-256 of the package.</summary>
    public required string CodeSha256 { get; init; }
    /// <summary><c>$LATEST</c> or a version number.</summary>
    public required string Version { get; init; }
    /// <summary>VPC settings when configured.</summary>
    public VpcConfigResponse? VpcConfig { get; init; }
    /// <summary>Dead-letter target.</summary>
    public DeadLetterConfig? DeadLetterConfig { get; init; }
    /// <summary>Environment variables.</summary>
    public EnvironmentResponse? Environment { get; init; }
    /// <summary>KMS key for environment encryption.</summary>
    public string? KMSKeyArn { get; init; }
    /// <summary>Tracing mode.</summary>
    public TracingConfig TracingConfig { get; init; } = new("PassThrough");
    /// <summary>For Lambda@Edge; never set here.</summary>
    public string? MasterArn { get; init; }
    /// <summary>Changes on every update.</summary>
    public required string RevisionId { get; init; }
    /// <summary>Layers in order.</summary>
    public IReadOnlyList<FunctionLayer>? Layers { get; init; }
    /// <summary>Pending, Active, Inactive or Failed.</summary>
    public string? State { get; init; }
    /// <summary>Why the function is in its state.</summary>
    public string? StateReason { get; init; }
    /// <summary>Code for the state reason.</summary>
    public string? StateReasonCode { get; init; }
    /// <summary>InProgress, Successful or Failed.</summary>
    public string? LastUpdateStatus { get; init; }
    /// <summary>Why the last update is in its status.</summary>
    public string? LastUpdateStatusReason { get; init; }
    /// <summary>Code for the last update status reason.</summary>
    public string? LastUpdateStatusReasonCode { get; init; }
    /// <summary>Zip or Image.</summary>
    public string PackageType { get; init; } = "Zip";
    /// <summary>Image settings (image functions).</summary>
    public ImageConfigResponse? ImageConfigResponse { get; init; }
    /// <summary>Exactly one architecture.</summary>
    public IReadOnlyList<string> Architectures { get; init; } = ["x86_64"];
    /// <summary>Size of /tmp.</summary>
    public EphemeralStorage EphemeralStorage { get; init; } = new(512);
    /// <summary>SnapStart settings.</summary>
    public SnapStartResponse SnapStart { get; init; } = new("None", "Off");
    /// <summary>Runtime version (managed runtimes).</summary>
    public RuntimeVersionConfig? RuntimeVersionConfig { get; init; }
    /// <summary>Logging settings.</summary>
    public required LoggingConfig LoggingConfig { get; init; }
}
