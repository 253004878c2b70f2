using Kindling.Worker.RuntimeApi;

namespace Kindling.Worker.Tests.RuntimeApi;

public sealed class ErrorDocumentsTests
{
    [Theory]
    [InlineData("""{"errorMessage":"m","errorType":"ValueError","stackTrace":[]}""", "ValueError")]
    [InlineData("""{"nested":{"errorType":"Inner"},"errorType":"Outer"}""", "Outer")]
    [InlineData("""{"errorType":3}""", null)]
    [InlineData("""not json""", null)]
    [InlineData("""[]""", null)]
    public void ReadErrorType_Document_ReturnsTopLevelType(string json, string? expected)
    {
        Assert.Equal(expected, ErrorDocuments.ReadErrorType(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void TypeThenMessage_KeepsApostrophesAndQuotesReadable()
    {
        var json = System.Text.Encoding.UTF8.GetString(ErrorDocuments.TypeThenMessage("T", "Couldn't \"x\""));

        Assert.Equal("""{"errorType":"T","errorMessage":"Couldn't \"x\""}""", json);
    }
}
