using Kindling.Invocation.Environments;

namespace Kindling.Invocation.Frontend;

/// <summary>An Invoke call as received: the path's function name and the headers Lambda reads.</summary>
public sealed record InvokeRequest
{
    /// <summary>Function name, partial ARN or ARN (possibly qualified).</summary>
    public required string FunctionName { get; init; }
    /// <summary>The <c>Qualifier</c> query parameter.</summary>
    public string? Qualifier { get; init; }
    /// <summary><c>X-Amz-Invocation-Type</c>: RequestResponse (default), Event or DryRun.</summary>
    public string? InvocationType { get; init; }
    /// <summary><c>X-Amz-Log-Type</c>: None (default) or Tail.</summary>
    public string? LogType { get; init; }
    /// <summary><c>X-Amz-Client-Context</c>: base64 of a JSON object.</summary>
    public string? ClientContext { get; init; }
    /// <summary><c>X-Amzn-Trace-Id</c> when the caller sent one.</summary>
    public string? TraceHeader { get; init; }
    /// <summary>The request id the API answers with (and the function sees).</summary>
    public required string RequestId { get; init; }
    /// <summary>The payload bytes.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }
    /// <summary>InvokeWithResponseStream: where a streamed response goes as it is produced.</summary>
    public IResponseStream? ResponseStream { get; init; }
}
