namespace Kindling.Runtime.Dotnet.Invocation;

/// <summary>The function's settings the context reports, read once from the environment.</summary>
internal sealed class FunctionEnvironment
{
    public string FunctionName { get; } = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME") ?? "";

    public string FunctionVersion { get; } = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_VERSION") ?? "";

    public string LogGroupName { get; } = Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_GROUP_NAME") ?? "";

    public string LogStreamName { get; } = Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_STREAM_NAME") ?? "";

    public int MemoryLimitInMB { get; } =
        RuntimeApi.Ascii.TryParse(Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), out var memory) ? (int)memory : 0;
}
