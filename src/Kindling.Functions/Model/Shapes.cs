namespace Kindling.Functions.Model;

/// <summary>Tracing mode: Active or PassThrough.</summary>
public sealed record TracingConfig(string? Mode);

/// <summary>Size of /tmp in MB.</summary>
public sealed record EphemeralStorage(int Size);

/// <summary>SnapStart settings as returned.</summary>
public sealed record SnapStartResponse(string ApplyOn, string OptimizationStatus);

/// <summary>A dead-letter queue or topic.</summary>
public sealed record DeadLetterConfig(string? TargetArn);

/// <summary>The runtime version in use.</summary>
public sealed record RuntimeVersionConfig(string RuntimeVersionArn);

/// <summary>A layer as attached to a function.</summary>
public sealed record FunctionLayer(string Arn, long CodeSize);

/// <summary>Environment variables as returned.</summary>
public sealed record EnvironmentResponse(IReadOnlyDictionary<string, string> Variables);

/// <summary>VPC settings as returned.</summary>
public sealed record VpcConfigResponse(IReadOnlyList<string> SubnetIds, IReadOnlyList<string> SecurityGroupIds, string VpcId, bool? Ipv6AllowedForDualStack);

/// <summary>Container image settings as returned.</summary>
public sealed record ImageConfigResponse(ImageConfig? ImageConfig);

/// <summary>Container image overrides.</summary>
public sealed record ImageConfig(IReadOnlyList<string>? EntryPoint, IReadOnlyList<string>? Command, string? WorkingDirectory);

/// <summary>Logging settings.</summary>
public sealed record LoggingConfig
{
    /// <summary>Text or JSON.</summary>
    public string? LogFormat { get; init; }
    /// <summary>Application log level (JSON format only).</summary>
    public string? ApplicationLogLevel { get; init; }
    /// <summary>System log level (JSON format only).</summary>
    public string? SystemLogLevel { get; init; }
    /// <summary>The log group.</summary>
    public string? LogGroup { get; init; }
}
