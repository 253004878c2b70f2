using Kindling.Invocation.Environments;

namespace Kindling.Invocation.Tests.TestSupport;

/// <summary>Function specs and requests for tests; the pool key is the function name.</summary>
internal static class TestFunctions
{
    public static FunctionSpec Spec(string name, int memoryMb = 128) => new()
    {
        FunctionName = name,
        Version = "$LATEST",
        FunctionArn = $"arn:aws:lambda:us-east-1:123456789012:function:{name}",
        Runtime = "provided.al2023",
        MemorySizeMb = memoryMb,
        TimeoutSeconds = 3,
        CodeId = "code-" + name,
        LogGroup = "/aws/lambda/" + name,
        Region = "us-east-1",
        PoolKey = name,
    };

    public static InvocationRequest Request(string payload = "{}") => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        Payload = System.Text.Encoding.UTF8.GetBytes(payload),
        InvokedFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:f",
        TraceId = "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0",
    };
}
