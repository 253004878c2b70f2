using System.Globalization;
using Kindling.Invocation.Environments;

namespace Kindling.Worker.Environments;

/// <summary>An execution environment's variables, exactly lambda-api.md §5's; the user's on top.</summary>
internal static class EnvironmentVariables
{
    public const string RuntimeApiAddress = "127.0.0.1:9001";

    private static readonly Dictionary<string, string> s_none = [];

    /// <remarks>
    /// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN carry the execution role's temporary
    /// credentials when the worker has an issuer for them.
    /// </remarks>
    /// <param name="function">The function version.</param>
    /// <param name="initializationType">on-demand or provisioned-concurrency.</param>
    /// <param name="logStreamName">AWS_LAMBDA_LOG_STREAM_NAME.</param>
    /// <param name="credentials">The execution role's temporary credentials, if issued.</param>
    /// <param name="runtimeVariables">A managed runtime's own variables (its manifest's), below the function's.</param>
    public static Dictionary<string, string> Build(
        FunctionSpec function, InitializationType initializationType, string logStreamName, RoleCredentials? credentials = null,
        IReadOnlyDictionary<string, string>? runtimeVariables = null)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_REGION"] = function.Region,
            ["AWS_DEFAULT_REGION"] = function.Region,
            ["AWS_LAMBDA_FUNCTION_NAME"] = function.FunctionName,
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = function.MemorySizeMb.ToString(CultureInfo.InvariantCulture),
            ["AWS_LAMBDA_FUNCTION_VERSION"] = function.Version,
            ["AWS_LAMBDA_INITIALIZATION_TYPE"] = initializationType == InitializationType.ProvisionedConcurrency
                ? "provisioned-concurrency"
                : "on-demand",
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = function.LogGroup,
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = logStreamName,
            ["AWS_LAMBDA_RUNTIME_API"] = RuntimeApiAddress,
            ["LAMBDA_TASK_ROOT"] = "/var/task",
            ["LAMBDA_RUNTIME_DIR"] = "/var/runtime",
            ["TZ"] = ":UTC",
            ["LANG"] = "en_US.UTF-8",
            ["PATH"] = "/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin",
            ["LD_LIBRARY_PATH"] = "/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib",
        };

        if (credentials is not null)
        {
            variables["AWS_ACCESS_KEY_ID"] = credentials.AccessKeyId;
            variables["AWS_SECRET_ACCESS_KEY"] = credentials.SecretAccessKey;
            variables["AWS_SESSION_TOKEN"] = credentials.SessionToken;
        }

        if (function.Handler is not null)
        {
            variables["_HANDLER"] = function.Handler;
        }

        if (!function.Runtime.StartsWith("provided", StringComparison.Ordinal))
        {
            variables["AWS_EXECUTION_ENV"] = "AWS_Lambda_" + function.Runtime;
        }

        if (string.Equals(function.LogFormat, "JSON", StringComparison.OrdinalIgnoreCase))
        {
            variables["AWS_LAMBDA_LOG_FORMAT"] = "JSON";
            variables["AWS_LAMBDA_LOG_LEVEL"] = (function.ApplicationLogLevel ?? "INFO").ToUpperInvariant();
        }

        foreach (var (name, value) in runtimeVariables ?? s_none)
        {
            variables[name] = value;
        }

        foreach (var (name, value) in function.Variables)
        {
            variables[name] = value;
        }

        return variables;
    }
}
