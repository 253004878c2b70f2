namespace Kindling.Invocation.Frontend;

/// <summary>What the Invoke endpoint sends back.</summary>
public sealed record InvokeResponse
{
    /// <summary>200 for RequestResponse, 204 for DryRun, 202 for Event.</summary>
    public required int StatusCode { get; init; }
    /// <summary>The response body.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }
    /// <summary><c>X-Amz-Executed-Version</c>.</summary>
    public string? ExecutedVersion { get; init; }
    /// <summary><c>X-Amz-Function-Error</c>.</summary>
    public string? FunctionError { get; init; }
    /// <summary><c>X-Amz-Log-Result</c> (base64).</summary>
    public string? LogResult { get; init; }
}
