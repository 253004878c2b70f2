using Kindling.Invocation.Environments;
using Kindling.Worker.Environments;

namespace Kindling.Worker.Tests.Environments;

public sealed class EnvironmentVariablesTests
{
    private static readonly FunctionSpec s_function = new()
    {
        FunctionName = "f",
        Version = "3",
        FunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:f",
        Runtime = "python3.12",
        Handler = "app.handler",
        MemorySizeMb = 512,
        TimeoutSeconds = 3,
        CodeId = "c",
        LogGroup = "/aws/lambda/f",
        Region = "eu-west-1",
        PoolKey = "k",
    };

    [Fact]
    public void Build_ManagedRuntime_SetsExecutionEnv()
    {
        var variables = EnvironmentVariables.Build(s_function, InitializationType.ProvisionedConcurrency, "s");

        Assert.Equal("AWS_Lambda_python3.12", variables["AWS_EXECUTION_ENV"]);
        Assert.Equal("provisioned-concurrency", variables["AWS_LAMBDA_INITIALIZATION_TYPE"]);
        Assert.Equal("3", variables["AWS_LAMBDA_FUNCTION_VERSION"]);
        Assert.Equal("eu-west-1", variables["AWS_DEFAULT_REGION"]);
        Assert.False(variables.ContainsKey("AWS_LAMBDA_LOG_FORMAT"));
    }

    [Fact]
    public void Build_NoHandler_OmitsHandler()
    {
        var variables = EnvironmentVariables.Build(s_function with { Handler = null, Runtime = "provided" }, InitializationType.OnDemand, "s");

        Assert.False(variables.ContainsKey("_HANDLER"));
        Assert.False(variables.ContainsKey("AWS_EXECUTION_ENV"));
    }

    [Fact]
    public void Build_JsonWithoutLevel_DefaultsToInfo()
    {
        var variables = EnvironmentVariables.Build(s_function with { LogFormat = "JSON" }, InitializationType.OnDemand, "s");

        Assert.Equal("JSON", variables["AWS_LAMBDA_LOG_FORMAT"]);
        Assert.Equal("INFO", variables["AWS_LAMBDA_LOG_LEVEL"]);
    }

    [Fact]
    public void Build_RoleCredentials_SetsTheThreeCredentialVariables()
    {
        var credentials = new RoleCredentials("ASIAEXAMPLE000000000", "secret", "token", DateTimeOffset.UnixEpoch);

        var variables = EnvironmentVariables.Build(s_function, InitializationType.OnDemand, "s", credentials);

        Assert.Equal("ASIAEXAMPLE000000000", variables["AWS_ACCESS_KEY_ID"]);
        Assert.Equal("secret", variables["AWS_SECRET_ACCESS_KEY"]);
        Assert.Equal("token", variables["AWS_SESSION_TOKEN"]);
    }

    [Fact]
    public void Build_NoIssuer_NoCredentialVariables()
    {
        var variables = EnvironmentVariables.Build(s_function, InitializationType.OnDemand, "s");

        Assert.False(variables.ContainsKey("AWS_ACCESS_KEY_ID"));
        Assert.False(variables.ContainsKey("AWS_SESSION_TOKEN"));
    }

    [Fact]
    public void Build_RuntimeVariables_AddedBelowTheFunctions()
    {
        var function = s_function with { Variables = new Dictionary<string, string> { ["NODE_OPTIONS"] = "--user" } };

        var variables = EnvironmentVariables.Build(
            function, InitializationType.OnDemand, "s", null,
            new Dictionary<string, string> { ["NODE_OPTIONS"] = "--runtime", ["NODE_PATH"] = "/opt/nodejs/node_modules" });

        Assert.Equal("--user", variables["NODE_OPTIONS"]);
        Assert.Equal("/opt/nodejs/node_modules", variables["NODE_PATH"]);
    }
}
