using System.Text.Json;
using Kindling.Runtime.Dotnet.Invocation;
using Kindling.Runtime.Dotnet.Loading;

namespace Kindling.Runtime.Dotnet.Tests;

public sealed class ErrorDocumentTests
{
    [Fact]
    public void Write_InnerException_CauseWithItsOwnFrames()
    {
        Exception caught;
        try
        {
            try
            {
                throw new FormatException("inner");
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException("outer \"quoted\" <tag>", e);
            }
        }
        catch (InvalidOperationException e)
        {
            caught = e;
        }

        using var document = JsonDocument.Parse(ErrorDocument.Write(caught));
        var root = document.RootElement;
        Assert.Equal(["errorType", "errorMessage", "stackTrace", "cause"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("InvalidOperationException", root.GetProperty("errorType").GetString());
        Assert.Equal("outer \"quoted\" <tag>", root.GetProperty("errorMessage").GetString());
        Assert.StartsWith("at Kindling.Runtime.Dotnet.Tests.ErrorDocumentTests.", root.GetProperty("stackTrace")[0].GetString());
        Assert.Equal("FormatException", root.GetProperty("cause").GetProperty("errorType").GetString());
    }

    [Fact]
    public void Write_NeverThrown_NoStackTrace()
    {
        using var document = JsonDocument.Parse(ErrorDocument.Write(new LambdaValidationException("m")));
        Assert.Equal("{\"errorType\":\"LambdaValidationException\",\"errorMessage\":\"m\"}", document.RootElement.GetRawText().Replace("\n", "").Replace(" ", ""));
    }

    [Theory]
    [InlineData("A::B", "Invalid lambda function handler: 'A::B'. The valid format is 'ASSEMBLY::TYPE::METHOD'.")]
    [InlineData("::B::C", "Invalid lambda function handler: '::B::C', the assembly is missing. The valid format is 'ASSEMBLY::TYPE::METHOD'.")]
    [InlineData("A:: ::C", "Invalid lambda function handler: 'A:: ::C', the type is missing. The valid format is 'ASSEMBLY::TYPE::METHOD'.")]
    [InlineData("A::B::", "Invalid lambda function handler: 'A::B::', the method is missing. The valid format is 'ASSEMBLY::TYPE::METHOD'.")]
    public void HandlerInfo_Malformed_AwsMessages(string handler, string message) =>
        Assert.Equal(message, Assert.Throws<LambdaValidationException>(() => new HandlerInfo(handler)).Message);
}
