using System.Text;
using Kindling.Invocation.Async;

namespace Kindling.Invocation.Tests.Async;

public sealed class DestinationRecordTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 20, 30, 1, 234, TimeSpan.Zero);

    [Fact]
    public void Build_FunctionError_HasLambdasFieldsInOrder()
    {
        var record = DestinationRecord.Build(At, "r-1", "arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST", "RetriesExhausted", 3,
            Encoding.UTF8.GetBytes("{\"k\":1}"),
            new DestinationRecord.Response(200, "$LATEST", "Unhandled", Encoding.UTF8.GetBytes("{\"errorMessage\":\"boom\"}")));

        Assert.Equal(
            "{\"version\":\"1.0\",\"timestamp\":\"2026-11-22T20:30:01.234Z\",\"requestContext\":{\"requestId\":\"r-1\","
            + "\"functionArn\":\"arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST\",\"condition\":\"RetriesExhausted\",\"approximateInvokeCount\":3},"
            + "\"requestPayload\":{\"k\":1},\"responseContext\":{\"statusCode\":200,\"executedVersion\":\"$LATEST\",\"functionError\":\"Unhandled\"},"
            + "\"responsePayload\":{\"errorMessage\":\"boom\"}}",
            Encoding.UTF8.GetString(record));
    }

    [Fact]
    public void Build_Success_OmitsFunctionErrorAndEmbedsNonJsonResponsesAsStrings()
    {
        var record = Encoding.UTF8.GetString(DestinationRecord.Build(At, "r", "arn", "Success", 1, Encoding.UTF8.GetBytes("[]"),
            new DestinationRecord.Response(200, "3", null, Encoding.UTF8.GetBytes("plain text"))));

        Assert.EndsWith("\"responseContext\":{\"statusCode\":200,\"executedVersion\":\"3\"},\"responsePayload\":\"plain text\"}", record);
    }

    [Fact]
    public void Build_NeverInvoked_HasNoResponseContext()
    {
        var record = Encoding.UTF8.GetString(DestinationRecord.Build(At, "r", "arn", "EventAgeExceeded", 0, Encoding.UTF8.GetBytes("{}"), null));

        Assert.EndsWith("\"approximateInvokeCount\":0},\"requestPayload\":{}}", record);
    }
}
