using Amazon.Lambda.Core;
using Kindling.Runtime.Dotnet.RuntimeApi;

namespace Kindling.Runtime.Dotnet.Invocation;

/// <summary>The <see cref="ILambdaContext"/> of one invocation.</summary>
internal sealed class LambdaContext(InvocationRequest request, FunctionEnvironment function, ILambdaLogger logger) : ILambdaContext
{
    public string AwsRequestId => request.RequestId;

    public IClientContext? ClientContext { get; } = Invocation.ClientContext.Parse(request.ClientContext);

    public string FunctionName => function.FunctionName;

    public string FunctionVersion => function.FunctionVersion;

    public ICognitoIdentity? Identity { get; } = CognitoIdentity.Parse(request.CognitoIdentity);

    public string InvokedFunctionArn => request.InvokedFunctionArn;

    public ILambdaLogger Logger => logger;

    public string LogGroupName => function.LogGroupName;

    public string LogStreamName => function.LogStreamName;

    public int MemoryLimitInMB => function.MemoryLimitInMB;

    public TimeSpan RemainingTime => TimeSpan.FromMilliseconds(request.DeadlineMs - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
}
