namespace Kindling.Runtime.Dotnet.RuntimeApi;

/// <summary>An invocation handed out by <c>next</c>: its headers and raw event.</summary>
internal sealed class InvocationRequest(Dictionary<string, string> headers, byte[] body)
{
    public string RequestId { get; } = headers.GetValueOrDefault("lambda-runtime-aws-request-id")
        ?? throw new InvalidOperationException("Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id.");

    public long DeadlineMs { get; } = Ascii.TryParse(headers.GetValueOrDefault("lambda-runtime-deadline-ms"), out var deadline) ? deadline : 0;

    public string InvokedFunctionArn { get; } = headers.GetValueOrDefault("lambda-runtime-invoked-function-arn") ?? "";

    public string? TraceId { get; } = headers.GetValueOrDefault("lambda-runtime-trace-id");

    public string? ClientContext { get; } = headers.GetValueOrDefault("lambda-runtime-client-context");

    public string? CognitoIdentity { get; } = headers.GetValueOrDefault("lambda-runtime-cognito-identity");

    public byte[] Body { get; } = body;
}
