namespace Kindling.Functions.Model;

/// <summary>CORS settings of a function URL.</summary>
public sealed record Cors
{
    /// <summary>Allow credentials.</summary>
    public bool? AllowCredentials { get; init; }
    /// <summary>Allowed headers.</summary>
    public List<string>? AllowHeaders { get; init; }
    /// <summary>Allowed methods.</summary>
    public List<string>? AllowMethods { get; init; }
    /// <summary>Allowed origins.</summary>
    public List<string>? AllowOrigins { get; init; }
    /// <summary>Exposed headers.</summary>
    public List<string>? ExposeHeaders { get; init; }
    /// <summary>Preflight cache age.</summary>
    public int? MaxAge { get; init; }
}

/// <summary>Create/UpdateFunctionUrlConfig body.</summary>
public sealed record FunctionUrlRequest(string? AuthType, Cors? Cors, string? InvokeMode);

/// <summary>A function URL configuration.</summary>
public sealed record FunctionUrlConfig
{
    /// <summary>The URL.</summary>
    public required string FunctionUrl { get; init; }
    /// <summary>The (qualified) function ARN.</summary>
    public required string FunctionArn { get; init; }
    /// <summary>NONE or AWS_IAM.</summary>
    public required string AuthType { get; init; }
    /// <summary>CORS.</summary>
    public Cors? Cors { get; init; }
    /// <summary>Creation time.</summary>
    public required string CreationTime { get; init; }
    /// <summary>Last change (not in the create response).</summary>
    public string? LastModifiedTime { get; init; }
    /// <summary>BUFFERED or RESPONSE_STREAM.</summary>
    public string InvokeMode { get; init; } = "BUFFERED";
}
