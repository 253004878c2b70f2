namespace Kindling.Invocation.Environments;

/// <summary>The outcome of one invocation, as the frontend returns it to the caller.</summary>
public sealed record InvocationResult
{
    /// <summary>The response bytes: the function's result, or the error document.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }
    /// <summary><c>Unhandled</c> for any function error (sent as X-Amz-Function-Error), else null.</summary>
    public string? FunctionError { get; init; }
    /// <summary>The error type (e.g. <c>Sandbox.Timedout</c>, <c>Runtime.ExitError</c>), for logs and metrics.</summary>
    public string? ErrorType { get; init; }
    /// <summary>The last 4 KB of this invocation's log (START … REPORT), when the caller asked for the tail.</summary>
    public string? LogTail { get; init; }
    /// <summary>Measured duration in ms.</summary>
    public double DurationMs { get; init; }
    /// <summary>Init duration in ms on a cold start, else null.</summary>
    public double? InitDurationMs { get; init; }
    /// <summary>Peak memory in MB.</summary>
    public long MaxMemoryUsedMb { get; init; }
}
