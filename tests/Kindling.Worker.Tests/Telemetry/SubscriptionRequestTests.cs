using System.Text;
using Kindling.Worker.Telemetry;

namespace Kindling.Worker.Tests.Telemetry;

public sealed class SubscriptionRequestTests
{
    [Fact]
    public void Parse_Defaults_AreTheDocumentedOnes()
    {
        var request = SubscriptionRequest.Parse(
            TelemetryApi.Telemetry,
            Encoding.UTF8.GetBytes("""{"schemaVersion":"2022-12-13","types":["platform","function"],"destination":{"protocol":"HTTP","URI":"http://sandbox.localdomain:8080"}}"""),
            out var error);

        Assert.Null(error);
        Assert.NotNull(request);
        Assert.Equal((1000, 262_144, 1000), (request.MaxItems, request.MaxBytes, request.TimeoutMs));
        Assert.Equal(TelemetryTypes.Platform | TelemetryTypes.Function, request.Types);
        Assert.Equal(8080, request.Destination.Port);
    }

    [Fact]
    public void Parse_LogsApi_DefaultsToTenThousandItems()
    {
        var request = SubscriptionRequest.Parse(
            TelemetryApi.Logs,
            Encoding.UTF8.GetBytes("""{"types":["function"],"destination":{"protocol":"HTTP","URI":"http://sandbox:1234"}}"""),
            out _);

        Assert.Equal(10_000, request!.MaxItems);
    }

    [Theory]
    [InlineData("""{"maxItems":24}""", "buffering.maxItems must be between 25 and 10000")]
    [InlineData("""{"maxItems":10001}""", "buffering.maxItems must be between 25 and 10000")]
    [InlineData("""{"maxBytes":262143}""", "buffering.maxBytes must be between 262144 and 1048576")]
    [InlineData("""{"maxBytes":1048577}""", "buffering.maxBytes must be between 262144 and 1048576")]
    [InlineData("""{"timeoutMs":24}""", "buffering.timeoutMs must be between 25 and 30000")]
    [InlineData("""{"timeoutMs":30001}""", "buffering.timeoutMs must be between 25 and 30000")]
    public void Parse_BufferingOutOfRange_IsRefused(string buffering, string message)
    {
        var request = SubscriptionRequest.Parse(
            TelemetryApi.Telemetry,
            Encoding.UTF8.GetBytes("""{"schemaVersion":"2022-12-13","types":["platform"],"buffering":""" + buffering + ""","destination":{"protocol":"HTTP","URI":"http://sandbox.localdomain:8080"}}"""),
            out var error);

        Assert.Null(request);
        Assert.Equal(message, error);
    }

    [Fact]
    public void Parse_SeveralProblems_AreAllListed()
    {
        var request = SubscriptionRequest.Parse(
            TelemetryApi.Telemetry,
            Encoding.UTF8.GetBytes("""{"schemaVersion":"2022-12-13","types":[],"destination":{"protocol":"HTTP","URI":"http://sandbox.localdomain"}}"""),
            out var error);

        Assert.Null(request);
        Assert.Equal("types should not be empty; URI port is not provided", error);
    }
}
