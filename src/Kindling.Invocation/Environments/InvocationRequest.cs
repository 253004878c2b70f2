namespace Kindling.Invocation.Environments;

/// <summary>One invocation as the Runtime API hands it to the function.</summary>
public sealed record InvocationRequest
{
    /// <summary>The request id (Lambda-Runtime-Aws-Request-Id), also the caller's x-amzn-RequestId.</summary>
    public required string RequestId { get; init; }
    /// <summary>The event bytes, passed through unchanged.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }
    /// <summary>The ARN the caller invoked (qualified when a qualifier was given).</summary>
    public required string InvokedFunctionArn { get; init; }
    /// <summary>X-Ray style trace header value: <c>Root=1-…;Parent=…;Sampled=0</c>.</summary>
    public required string TraceId { get; init; }
    /// <summary>Decoded client context JSON, or null.</summary>
    public string? ClientContext { get; init; }
    /// <summary>Cognito identity JSON, or null.</summary>
    public string? CognitoIdentity { get; init; }
    /// <summary>Content type of the payload as sent by the caller.</summary>
    public string ContentType { get; init; } = "application/json";
    /// <summary>True when the caller asked for <c>X-Amz-Log-Type: Tail</c>.</summary>
    public bool TailLog { get; init; }
    /// <summary>Where a streamed response goes as it is produced (InvokeWithResponseStream), or null.</summary>
    public IResponseStream? ResponseStream { get; init; }
}
