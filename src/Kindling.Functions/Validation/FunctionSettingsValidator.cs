using System.Text.Json;
using System.Text.RegularExpressions;
using Kindling.Functions.Errors;
using Kindling.Functions.Model;
using Kindling.Functions.Runtimes;

namespace Kindling.Functions.Validation;

/// <summary>The rules Lambda applies to the settings of CreateFunction and UpdateFunctionConfiguration.</summary>
public static partial class FunctionSettingsValidator
{
    /// <summary>The Role member's pattern.</summary>
    public const string RolePattern = @"arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+";

    /// <summary>The pattern of a layer version ARN.</summary>
    public const string LayerVersionArnPattern = @"arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+";

    private static readonly string[] ReservedKeys =
    [
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    ];

    /// <summary>Schema checks (ValidationException) of the shared settings.</summary>
    public static void CheckSchema(FunctionSettingsRequest request, ValidationErrors errors)
    {
        errors.Pattern(request.Role, "role", RoleRegex(), RolePattern);
        errors.Length(request.Handler, "handler", 0, 128);
        errors.Pattern(request.Handler, "handler", HandlerRegex(), @"[^\s]+");
        errors.Length(request.Description, "description", 0, 256);
        errors.Range(request.Timeout, "timeout", 1, 900);
        errors.Range(request.MemorySize, "memorySize", 128, 10240);
        errors.Range(request.EphemeralStorage?.Size, "ephemeralStorage.size", 512, 10240);
        errors.Enum(request.TracingConfig?.Mode, "tracingConfig.mode", ["Active", "PassThrough"]);
        errors.Enum(request.LoggingConfig?.LogFormat, "loggingConfig.logFormat", ["JSON", "Text"]);
        errors.Enum(request.LoggingConfig?.ApplicationLogLevel, "loggingConfig.applicationLogLevel", ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]);
        errors.Enum(request.LoggingConfig?.SystemLogLevel, "loggingConfig.systemLogLevel", ["DEBUG", "INFO", "WARN"]);
        errors.Enum(request.SnapStart?.ApplyOn, "snapStart.applyOn", ["PublishedVersions", "None"]);
        if (request.Layers is { } layers)
        {
            for (var i = 0; i < layers.Count; i++)
            {
                errors.Pattern(layers[i], $"layers.{i + 1}.member", LayerVersionArnRegex(), LayerVersionArnPattern);
            }
        }

        if (request.Environment?.Variables is { } variables
            && variables.Keys.FirstOrDefault(k => !EnvKeyRegex().IsMatch(k)) is not null)
        {
            errors.Add(null, "environment.variables",
                "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]");
        }
    }

    /// <summary>Semantic checks (InvalidParameterValueException) that Lambda applies after the schema.</summary>
    public static void CheckSemantics(FunctionSettingsRequest request, RuntimeCatalog runtimes)
    {
        if (request.Runtime is { } unknown && !RuntimeCatalog.LambdaRuntimes.Contains(unknown))
        {
            throw LambdaErrors.InvalidParameter(
                $"Value {unknown} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", RuntimeCatalog.LambdaRuntimes)}] or be a valid ARN");
        }

        if (request.Runtime is { } runtime && !runtimes.IsAvailable(runtime))
        {
            throw LambdaErrors.InvalidParameter(
                $"The runtime parameter of {runtime} is not supported by this Kindling host. Available runtimes: {string.Join(", ", runtimes.Available)}.");
        }

        if (request.Layers is { Count: > 5 })
        {
            throw LambdaErrors.InvalidParameter("Cannot reference more than 5 layers.");
        }

        if (request.Environment?.Variables is { } variables)
        {
            var reserved = variables.Keys.Where(k => ReservedKeys.Contains(k, StringComparer.Ordinal)).ToList();
            if (reserved.Count > 0)
            {
                throw LambdaErrors.InvalidParameter(
                    "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: "
                    + string.Join(", ", reserved));
            }

            var measured = JsonSerializer.Serialize(variables, LambdaJson.Options);
            if (System.Text.Encoding.UTF8.GetByteCount(measured) > 4096)
            {
                throw LambdaErrors.InvalidParameter(
                    "Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: "
                    + measured);
            }
        }

        if (request.VpcConfig is { SubnetIds.Count: > 0 } or { SecurityGroupIds.Count: > 0 })
        {
            throw LambdaErrors.InvalidParameter("VPC networking is not supported by this Kindling host.");
        }
    }

    [GeneratedRegex("^" + RolePattern + "$")]
    private static partial Regex RoleRegex();

    [GeneratedRegex(@"^[^\s]+$")]
    private static partial Regex HandlerRegex();

    [GeneratedRegex("^" + LayerVersionArnPattern + "$")]
    private static partial Regex LayerVersionArnRegex();

    [GeneratedRegex("^[a-zA-Z]([a-zA-Z0-9_])+$")]
    private static partial Regex EnvKeyRegex();
}
