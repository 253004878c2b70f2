using System.Net;
using Kindling.Functions.Errors;
using Kindling.Functions.Tests.TestSupport;
using Kindling.Functions.Validation;

namespace Kindling.Functions.Tests.Validation;

public sealed class ValidationErrorsTests
{
    [Fact]
    public void ThrowIfAny_NoError_DoesNotThrow()
    {
        var errors = new ValidationErrors();
        errors.Range(3, "timeout", 1, 900);
        errors.Range(null, "memorySize", 128, 10240);
        errors.Length(null, "description", 0, 256);
        errors.Required("x", "role");

        errors.ThrowIfAny();
    }

    [Fact]
    public void ThrowIfAny_OneError_UsesSingularMessage()
    {
        var errors = new ValidationErrors();
        errors.Range(0, "timeout", 1, 900);

        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "ValidationException",
            "1 validation error detected: Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1",
            errors.ThrowIfAny);
    }

    [Fact]
    public void ThrowIfAny_TwoErrors_JoinsWithSemicolonInOrder()
    {
        var errors = new ValidationErrors();
        errors.Range(0, "timeout", 1, 900);
        errors.Range(20000, "memorySize", 128, 10240);

        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "ValidationException",
            "2 validation errors detected: Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1; "
            + "Value '20000' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240",
            errors.ThrowIfAny);
    }

    [Fact]
    public void ThrowIfAny_ThreeErrors_CountsAll()
    {
        var errors = new ValidationErrors();
        errors.Required(null, "role");
        errors.Length(new string('d', 257), "description", 0, 256);
        errors.Enum("Loud", "tracingConfig.mode", ["Active", "PassThrough"]);

        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "ValidationException",
            "3 validation errors detected: Value null at 'role' failed to satisfy constraint: Member must not be null; "
            + $"Value '{new string('d', 257)}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256; "
            + "Value 'Loud' at 'tracingConfig.mode' failed to satisfy constraint: Member must satisfy enum value set: [Active, PassThrough]",
            errors.ThrowIfAny);
    }

    [Fact]
    public void ThrowIfAny_ValidationException_HasLowercaseMessageFieldAndNoType()
    {
        var errors = new ValidationErrors();
        errors.Required(null, "functionName");

        var error = Assert.Throws<LambdaException>(errors.ThrowIfAny);

        Assert.False(error.CapitalMessage);
        Assert.Null(error.Type);
    }

    [Fact]
    public void Length_TooShort_ReportsMinimum()
    {
        var errors = new ValidationErrors();
        errors.Length("", "functionName", 1, 140);

        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "ValidationException",
            "1 validation error detected: Value '' at 'functionName' failed to satisfy constraint: Member must have length greater than or equal to 1",
            errors.ThrowIfAny);
    }

    [Fact]
    public void Add_BooleanValue_ShownLowercaseQuoted()
    {
        var errors = new ValidationErrors();
        errors.Add(true, "enabled", "Member must be false");

        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "ValidationException",
            "1 validation error detected: Value 'true' at 'enabled' failed to satisfy constraint: Member must be false",
            errors.ThrowIfAny);
    }

    [Fact]
    public void Add_ListValue_ShownBracketed()
    {
        var errors = new ValidationErrors();
        errors.Add(new List<string> { "x86_64", "arm64" }, "architectures", "Member must have length less than or equal to 1");

        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "ValidationException",
            "1 validation error detected: Value '[x86_64, arm64]' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1",
            errors.ThrowIfAny);
    }

    [Fact]
    public void Add_DoubleValue_ShownWithInvariantCulture()
    {
        var errors = new ValidationErrors();
        errors.Add(1.5, "weight", "Member must have value less than or equal to 1.0");

        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "ValidationException",
            "1 validation error detected: Value '1.5' at 'weight' failed to satisfy constraint: Member must have value less than or equal to 1.0",
            errors.ThrowIfAny);
    }
}
