using System.Text;
using Kindling.Invocation.Async;
using Kindling.Queues.Engine;

namespace Kindling.Invocation.Tests.Async;

public sealed class AsyncEventCodecTests
{
    private static readonly AsyncEvent Sample = new()
    {
        Kind = AsyncEventKind.Deliver,
        FunctionName = "f",
        Qualifier = "live",
        RequestId = "0d9c7e5a-0000-4000-8000-000000000001",
        AcceptedAtMs = 1_764_000_000_123,
        Attempts = 2,
        Throttles = 3,
        TraceHeader = "Root=1-abc",
        Payload = Encoding.UTF8.GetBytes("{\"a\":\"é\"}"),
        Target = "arn:aws:sqs:us-east-1:000000000000:q",
        Purpose = "DeadLetter",
        ErrorCode = "200",
        ErrorMessage = "boom",
    };

    [Fact]
    public void ToMessage_JsonPayload_IsTheBodyAsText()
    {
        var message = AsyncEventCodec.ToMessage(Sample, 7);

        Assert.Equal("{\"a\":\"é\"}", message.Body);
        Assert.Equal(7, message.DelaySeconds);
        Assert.Equal([AsyncEventCodec.AttributeName], message.Attributes.Keys);
    }

    [Fact]
    public void FromMessage_OfToMessage_RoundTripsEveryField()
    {
        var back = AsyncEventCodec.FromMessage(Received(AsyncEventCodec.ToMessage(Sample, 0)));

        Assert.Equal(Sample with { Payload = default }, back with { Payload = default });
        Assert.Equal(Sample.Payload.ToArray(), back.Payload.ToArray());
    }

    [Fact]
    public void ToMessage_BytesSqsRefuses_TravelAsBase64AndComeBackUnchanged()
    {
        byte[] payload = [0x22, 0xFF, 0x01, 0x22];
        var message = AsyncEventCodec.ToMessage(Sample with { Payload = payload }, 0);

        Assert.Equal(Convert.ToBase64String(payload), message.Body);
        Assert.Equal(payload, AsyncEventCodec.FromMessage(Received(message)).Payload.ToArray());
    }

    private static ReceivedMessage Received(OutgoingMessage message) => new()
    {
        MessageId = "m",
        ReceiptHandle = "h",
        Body = message.Body,
        Md5OfBody = "",
        Attributes = message.Attributes,
        ReceiveCount = 1,
        SentTimestamp = 0,
        FirstReceiveTimestamp = 0,
        SenderId = "",
    };
}
