using System.Net;
using Kindling.Functions.Arns;
using Kindling.Functions.Tests.TestSupport;

namespace Kindling.Functions.Tests.Arns;

public sealed class FunctionReferenceTests
{
    private static readonly AccountContext Account = new("us-east-1", "000000000000");

    [Theory]
    [InlineData("my-function", "my-function", null)]
    [InlineData("my_function-1", "my_function-1", null)]
    [InlineData("my-function:prod", "my-function", "prod")]
    [InlineData("my-function:7", "my-function", "7")]
    [InlineData("my-function:$LATEST", "my-function", "$LATEST")]
    [InlineData("000000000000:function:f", "f", null)]
    [InlineData("000000000000:function:f:live", "f", "live")]
    [InlineData("arn:aws:lambda:us-east-1:000000000000:function:f", "f", null)]
    [InlineData("arn:aws:lambda:us-east-1:000000000000:function:f:3", "f", "3")]
    [InlineData("arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST", "f", "$LATEST")]
    public void TryParse_AcceptedForm_ReturnsNameAndQualifier(string value, string name, string? qualifier)
    {
        var reference = FunctionReference.TryParse(value, Account);

        Assert.Equal(new FunctionReference(name, qualifier), reference);
    }

    [Fact]
    public void TryParse_SixtyFourCharacterName_ReturnsName()
    {
        var name = new string('a', 64);

        var reference = FunctionReference.TryParse(name, Account);

        Assert.Equal(new FunctionReference(name, null), reference);
    }

    [Fact]
    public void TryParse_SixtyFiveCharacterName_ReturnsNull()
    {
        Assert.Null(FunctionReference.TryParse(new string('a', 65), Account));
    }

    [Fact]
    public void TryParse_SixtyFiveCharacterNameInArn_ReturnsNull()
    {
        Assert.Null(FunctionReference.TryParse("arn:aws:lambda:us-east-1:000000000000:function:" + new string('a', 65), Account));
    }

    [Theory]
    [InlineData("")]
    [InlineData("my function")]
    [InlineData("my.function")]
    [InlineData("my/function")]
    [InlineData("f@x")]
    [InlineData("f=x")]
    [InlineData("f!")]
    [InlineData("f:")]
    [InlineData("f:a:b")]
    [InlineData("f:bad.qualifier")]
    [InlineData("arn:aws:lambda:us-east-1:000000000000:function:")]
    [InlineData("arn:aws:lambda:us-east-1:000000000000:function:f:1:2")]
    [InlineData("arn:aws:s3:us-east-1:000000000000:function:f")]
    public void TryParse_InvalidValue_ReturnsNull(string value)
    {
        Assert.Null(FunctionReference.TryParse(value, Account));
    }

    [Fact]
    public void TryParse_OverOneHundredSeventyCharacters_ReturnsNull()
    {
        Assert.Null(FunctionReference.TryParse("f:" + new string('q', 169), Account));
    }

    [Fact]
    public void TryParse_FullArnInOtherRegion_ThrowsAccessDenied()
    {
        LambdaAssert.Throws(
            HttpStatusCode.Forbidden,
            "AccessDeniedException",
            "User is not authorized to access the function in region 'eu-west-1' and account '000000000000'.",
            () => FunctionReference.TryParse("arn:aws:lambda:eu-west-1:000000000000:function:f", Account));
    }

    [Fact]
    public void TryParse_FullArnInOtherAccount_ThrowsAccessDenied()
    {
        LambdaAssert.Throws(
            HttpStatusCode.Forbidden,
            "AccessDeniedException",
            "User is not authorized to access the function in region 'us-east-1' and account '123456789012'.",
            () => FunctionReference.TryParse("arn:aws:lambda:us-east-1:123456789012:function:f:1", Account));
    }

    [Fact]
    public void TryParse_PartialArnInOtherAccount_ThrowsAccessDeniedNamingOwnRegion()
    {
        LambdaAssert.Throws(
            HttpStatusCode.Forbidden,
            "AccessDeniedException",
            "User is not authorized to access the function in region 'us-east-1' and account '123456789012'.",
            () => FunctionReference.TryParse("123456789012:function:f", Account));
    }

    [Fact]
    public void TryParse_AccessDenied_UsesCapitalMessageAndUserType()
    {
        var error = Assert.Throws<Errors.LambdaException>(
            () => FunctionReference.TryParse("arn:aws:lambda:eu-west-1:000000000000:function:f", Account));

        Assert.True(error.CapitalMessage);
        Assert.Equal("User", error.Type);
    }
}
