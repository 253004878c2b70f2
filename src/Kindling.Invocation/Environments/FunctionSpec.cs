namespace Kindling.Invocation.Environments;

/// <summary>
/// Everything an execution environment needs to know about the function version it runs. Environments are
/// pooled by <see cref="PoolKey"/>: an environment only ever serves the exact code and configuration it was
/// started with.
/// </summary>
public sealed record FunctionSpec
{
    /// <summary>Function name.</summary>
    public required string FunctionName { get; init; }
    /// <summary><c>$LATEST</c> or a version number.</summary>
    public required string Version { get; init; }
    /// <summary>Unqualified function ARN.</summary>
    public required string FunctionArn { get; init; }
    /// <summary>Runtime identifier, e.g. <c>provided.al2023</c>.</summary>
    public required string Runtime { get; init; }
    /// <summary>The execution role ARN (its credentials are issued to each environment).</summary>
    public string? Role { get; init; }
    /// <summary>Handler string (passed as <c>_HANDLER</c>).</summary>
    public string? Handler { get; init; }
    /// <summary>Memory in MB: the cgroup hard limit, and the CPU share (1,769 MB = 1 vCPU).</summary>
    public required int MemorySizeMb { get; init; }
    /// <summary>Invocation timeout in seconds.</summary>
    public required int TimeoutSeconds { get; init; }
    /// <summary>Size of <c>/tmp</c> in MB.</summary>
    public int EphemeralStorageMb { get; init; } = 512;
    /// <summary>Code store id of the function's zip (extracted to <c>/var/task</c>).</summary>
    public required string CodeId { get; init; }
    /// <summary>Code store ids of the layers, in order (extracted into <c>/opt</c>, later ones win).</summary>
    public IReadOnlyList<string> LayerCodeIds { get; init; } = [];
    /// <summary>The user's environment variables (reserved keys already rejected by the control plane).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();
    /// <summary>Log group, e.g. <c>/aws/lambda/name</c>.</summary>
    public required string LogGroup { get; init; }
    /// <summary>Text or JSON.</summary>
    public string LogFormat { get; init; } = "Text";
    /// <summary>Application log level (JSON format).</summary>
    public string? ApplicationLogLevel { get; init; }
    /// <summary>System log level (JSON format).</summary>
    public string? SystemLogLevel { get; init; }
    /// <summary>Region the server presents (AWS_REGION).</summary>
    public required string Region { get; init; }
    /// <summary>Identity of this exact code and configuration; environments are pooled by it.</summary>
    public required string PoolKey { get; init; }
}
