using System.Text.Json.Nodes;
using Kindling.Queues.Sqs;

namespace Kindling.Queues.Tests.Sqs;

public sealed class XmlOutputTests
{
    [Fact]
    public void Response_ReceiveMessage_FlattensMessagesAttributesAndMessageAttributes()
    {
        var result = new JsonObject
        {
            ["Messages"] = new JsonArray(new JsonObject
            {
                ["MessageId"] = "id",
                ["Body"] = "a<b",
                ["Attributes"] = new JsonObject { ["SentTimestamp"] = "1" },
                ["MessageAttributes"] = new JsonObject { ["k"] = new JsonObject { ["StringValue"] = "v", ["DataType"] = "String" } },
            }),
        };
        Assert.Equal(
            "<?xml version=\"1.0\"?><ReceiveMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><ReceiveMessageResult>"
            + "<Message><MessageId>id</MessageId><Body>a&lt;b</Body><Attribute><Name>SentTimestamp</Name><Value>1</Value></Attribute>"
            + "<MessageAttribute><Name>k</Name><Value><StringValue>v</StringValue><DataType>String</DataType></Value></MessageAttribute></Message>"
            + "</ReceiveMessageResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ReceiveMessageResponse>",
            XmlOutput.Response("ReceiveMessage", result, "r"));
    }

    [Fact]
    public void Response_Batch_NamesEntriesAfterTheAction()
    {
        var result = new JsonObject
        {
            ["Successful"] = new JsonArray(new JsonObject { ["Id"] = "a" }),
            ["Failed"] = new JsonArray(new JsonObject { ["Id"] = "b", ["SenderFault"] = true, ["Code"] = "C", ["Message"] = "M" }),
        };
        Assert.Equal(
            "<?xml version=\"1.0\"?><DeleteMessageBatchResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><DeleteMessageBatchResult>"
            + "<DeleteMessageBatchResultEntry><Id>a</Id></DeleteMessageBatchResultEntry>"
            + "<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>C</Code><Message>M</Message></BatchResultErrorEntry>"
            + "</DeleteMessageBatchResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteMessageBatchResponse>",
            XmlOutput.Response("DeleteMessageBatch", result, "r"));
    }

    [Fact]
    public void Response_NoResult_HasOnlyMetadata() =>
        Assert.Equal(
            "<?xml version=\"1.0\"?><DeleteQueueResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
            + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteQueueResponse>",
            XmlOutput.Response("DeleteQueue", null, "r"));
}
