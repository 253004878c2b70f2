using System.Net;
using Kindling.Functions.Model;
using Kindling.Functions.Runtimes;
using Kindling.Functions.Tests.TestSupport;
using Kindling.Functions.Validation;

namespace Kindling.Functions.Tests.Validation;

public sealed class FunctionSettingsValidatorTests
{
    private const string Role = "arn:aws:iam::000000000000:role/lambda-role";

    private static readonly RuntimeCatalog CustomOnly = new(RuntimeCatalog.Custom);

    private static void CheckSchema(FunctionSettingsRequest request)
    {
        var errors = new ValidationErrors();
        FunctionSettingsValidator.CheckSchema(request, errors);
        errors.ThrowIfAny();
    }

    [Theory]
    [InlineData("arn:aws:iam::000000000000:role/lambda-role")]
    [InlineData("arn:aws:iam::123456789012:role/service-role/my_role+=,.@-")]
    [InlineData("arn:aws-cn:iam::123456789012:role/r")]
    public void CheckSchema_ValidRole_NoError(string role)
    {
        CheckSchema(new FunctionSettingsRequest { Role = role, Runtime = "provided.al2023", Handler = "bootstrap" });
    }

    [Theory]
    [InlineData("lambda-role")]
    [InlineData("arn:aws:iam::0000:role/r")]
    [InlineData("arn:aws:iam::000000000000:user/r")]
    public void CheckSchema_InvalidRole_ReportsRolePattern(string role)
    {
        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "ValidationException",
            $"1 validation error detected: Value '{role}' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{{12}}:role/?[a-zA-Z_0-9+=,.@\\-_/]+",
            () => CheckSchema(new FunctionSettingsRequest { Role = role }));
    }

    [Fact]
    public void CheckSchema_UnknownRuntime_LeavesItToSemantics()
    {
        CheckSchema(new FunctionSettingsRequest { Runtime = "cobol85" });
    }

    [Fact]
    public void CheckSemantics_RuntimeOutsideLambdaEnum_ThrowsInvalidParameterListingEnum()
    {
        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "Value cobol85 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: ["
            + "nodejs, nodejs4.3, nodejs6.10, nodejs8.10, nodejs10.x, nodejs12.x, nodejs14.x, nodejs16.x, java8, java8.al2, java11, "
            + "python2.7, python3.6, python3.7, python3.8, python3.9, dotnetcore1.0, dotnetcore2.0, dotnetcore2.1, dotnetcore3.1, "
            + "dotnet6, dotnet8, nodejs4.3-edge, go1.x, ruby2.5, ruby2.7, provided, provided.al2, nodejs18.x, python3.10, java17, "
            + "ruby3.2, ruby3.3, ruby3.4, python3.11, nodejs20.x, provided.al2023, python3.12, java21, python3.13, nodejs22.x, "
            + "nodejs24.x, python3.14, java25, dotnet10] or be a valid ARN",
            () => FunctionSettingsValidator.CheckSemantics(new FunctionSettingsRequest { Runtime = "cobol85" }, CustomOnly));
    }

    [Fact]
    public void CheckSchema_TimeoutAndMemoryOutOfRange_ReportsBothInOrder()
    {
        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "ValidationException",
            "2 validation errors detected: Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1; "
            + "Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128",
            () => CheckSchema(new FunctionSettingsRequest { Role = Role, Timeout = 0, MemorySize = 64 }));
    }

    [Fact]
    public void CheckSchema_HandlerWithSpace_ReportsHandlerPattern()
    {
        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "ValidationException",
            "1 validation error detected: Value 'my handler' at 'handler' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\s]+",
            () => CheckSchema(new FunctionSettingsRequest { Handler = "my handler" }));
    }

    [Fact]
    public void CheckSchema_InvalidLayerArn_ReportsOneBasedMember()
    {
        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "ValidationException",
            "1 validation error detected: Value 'not-a-layer' at 'layers.2.member' failed to satisfy constraint: Member must satisfy regular expression pattern: "
            + "arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+",
            () => CheckSchema(new FunctionSettingsRequest
            {
                Layers = ["arn:aws:lambda:us-east-1:000000000000:layer:tools:1", "not-a-layer"],
            }));
    }

    [Theory]
    [InlineData("1BAD")]
    [InlineData("A")]
    [InlineData("MY-VAR")]
    public void CheckSchema_InvalidEnvironmentKey_ReportsMapKeyConstraint(string key)
    {
        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "ValidationException",
            "1 validation error detected: Value null at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]",
            () => CheckSchema(new FunctionSettingsRequest
            {
                Environment = new EnvironmentRequest(new Dictionary<string, string> { ["GOOD"] = "1", [key] = "2" }),
            }));
    }

    [Fact]
    public void CheckSemantics_AvailableRuntime_DoesNotThrow()
    {
        FunctionSettingsValidator.CheckSemantics(new FunctionSettingsRequest { Runtime = "provided.al2" }, CustomOnly);
    }

    [Fact]
    public void CheckSemantics_KnownButUnavailableRuntime_ThrowsNamingAvailableRuntimes()
    {
        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "The runtime parameter of python3.12 is not supported by this Kindling host. Available runtimes: provided, provided.al2, provided.al2023.",
            () => FunctionSettingsValidator.CheckSemantics(new FunctionSettingsRequest { Runtime = "python3.12" }, CustomOnly));
    }

    [Fact]
    public void CheckSemantics_UnavailableRuntime_ListsAvailableSorted()
    {
        var catalog = new RuntimeCatalog(["python3.12", "nodejs22.x", "provided.al2023"]);

        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "The runtime parameter of java21 is not supported by this Kindling host. Available runtimes: nodejs22.x, provided.al2023, python3.12.",
            () => FunctionSettingsValidator.CheckSemantics(new FunctionSettingsRequest { Runtime = "java21" }, catalog));
    }

    [Fact]
    public void CheckSemantics_FiveLayers_DoesNotThrow()
    {
        var layers = Enumerable.Range(1, 5).Select(i => $"arn:aws:lambda:us-east-1:000000000000:layer:l{i}:1").ToList();

        FunctionSettingsValidator.CheckSemantics(new FunctionSettingsRequest { Layers = layers }, CustomOnly);
    }

    [Fact]
    public void CheckSemantics_SixLayers_Throws()
    {
        var layers = Enumerable.Range(1, 6).Select(i => $"arn:aws:lambda:us-east-1:000000000000:layer:l{i}:1").ToList();

        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "Cannot reference more than 5 layers.",
            () => FunctionSettingsValidator.CheckSemantics(new FunctionSettingsRequest { Layers = layers }, CustomOnly));
    }

    [Fact]
    public void CheckSemantics_ReservedKeys_ThrowsListingThemInRequestOrder()
    {
        var variables = new Dictionary<string, string>
        {
            ["AWS_REGION"] = "eu-west-1",
            ["MY_SETTING"] = "1",
            ["LAMBDA_TASK_ROOT"] = "/tmp",
        };

        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION, LAMBDA_TASK_ROOT",
            () => FunctionSettingsValidator.CheckSemantics(
                new FunctionSettingsRequest { Environment = new EnvironmentRequest(variables) }, CustomOnly));
    }

    [Fact]
    public void CheckSemantics_EnvironmentOfExactly4096Bytes_DoesNotThrow()
    {
        // {"BIG":"…"} is 10 bytes of JSON around the value.
        var variables = new Dictionary<string, string> { ["BIG"] = new string('x', 4086) };

        FunctionSettingsValidator.CheckSemantics(new FunctionSettingsRequest { Environment = new EnvironmentRequest(variables) }, CustomOnly);
    }

    [Fact]
    public void CheckSemantics_EnvironmentOver4KB_ThrowsWithMeasuredString()
    {
        var value = new string('x', 4087);
        var variables = new Dictionary<string, string> { ["BIG"] = value };

        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: {\"BIG\":\"" + value + "\"}",
            () => FunctionSettingsValidator.CheckSemantics(
                new FunctionSettingsRequest { Environment = new EnvironmentRequest(variables) }, CustomOnly));
    }

    [Fact]
    public void CheckSemantics_EnvironmentOver4KBInUtf8Bytes_Throws()
    {
        // 2,100 characters but 4,200 UTF-8 bytes.
        var value = new string('é', 2100);
        var variables = new Dictionary<string, string> { ["BIG"] = value };

        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: {\"BIG\":\"" + value + "\"}",
            () => FunctionSettingsValidator.CheckSemantics(
                new FunctionSettingsRequest { Environment = new EnvironmentRequest(variables) }, CustomOnly));
    }

    [Fact]
    public void CheckSemantics_VpcSubnets_Throws()
    {
        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "VPC networking is not supported by this Kindling host.",
            () => FunctionSettingsValidator.CheckSemantics(
                new FunctionSettingsRequest { VpcConfig = new VpcConfigRequest(["subnet-1"], [], null) }, CustomOnly));
    }

    [Fact]
    public void CheckSemantics_EmptyVpcConfig_DoesNotThrow()
    {
        FunctionSettingsValidator.CheckSemantics(
            new FunctionSettingsRequest { VpcConfig = new VpcConfigRequest([], [], null) }, CustomOnly);
    }
}
