namespace Amazon.Lambda.Core;

/// <summary>What the runtime tells a function about the current invocation and its environment.</summary>
public interface ILambdaContext
{
    /// <summary>The request id of this invocation.</summary>
    string AwsRequestId { get; }

    /// <summary>The client context sent by the caller (mobile SDKs), or null.</summary>
    IClientContext ClientContext { get; }

    /// <summary>The function's name.</summary>
    string FunctionName { get; }

    /// <summary>The version being run ($LATEST or a number).</summary>
    string FunctionVersion { get; }

    /// <summary>The Cognito identity of the caller, or null.</summary>
    ICognitoIdentity Identity { get; }

    /// <summary>The ARN the caller invoked (possibly qualified).</summary>
    string InvokedFunctionArn { get; }

    /// <summary>The logger of this invocation.</summary>
    ILambdaLogger Logger { get; }

    /// <summary>The log group of the function.</summary>
    string LogGroupName { get; }

    /// <summary>The log stream of this execution environment.</summary>
    string LogStreamName { get; }

    /// <summary>The configured memory size in MB.</summary>
    int MemoryLimitInMB { get; }

    /// <summary>Time left before the invocation times out.</summary>
    System.TimeSpan RemainingTime { get; }
}
