using Kindling.Queues.Sqs;

namespace Kindling.Queues.Tests.Sqs;

public sealed class QueryInputTests
{
    [Fact]
    public void ToJson_FlattenedMapsListsAndBatchEntries_BecomeJsonShapes()
    {
        var json = QueryInput.ToJson(
        [
            new("Action", "SendMessageBatch"),
            new("QueueUrl", "http://h/000000000000/q"),
            new("SendMessageBatchRequestEntry.2.Id", "b"),
            new("SendMessageBatchRequestEntry.2.MessageBody", "two"),
            new("SendMessageBatchRequestEntry.1.Id", "a"),
            new("SendMessageBatchRequestEntry.1.MessageBody", "one"),
            new("SendMessageBatchRequestEntry.1.MessageAttribute.1.Name", "k"),
            new("SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType", "String"),
            new("SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue", "v"),
            new("Attribute.1.Name", "VisibilityTimeout"),
            new("Attribute.1.Value", "40"),
            new("AttributeName.2", "B"),
            new("AttributeName.1", "A"),
            new("Tag.1.Key", "team"),
            new("Tag.1.Value", "x"),
        ]);
        Assert.Equal(
            """{"QueueUrl":"http://h/000000000000/q","Entries":[{"Id":"a","MessageBody":"one","MessageAttributes":{"k":{"DataType":"String","StringValue":"v"}}},{"Id":"b","MessageBody":"two"}],"Attributes":{"VisibilityTimeout":"40"},"AttributeNames":["A","B"],"Tags":{"team":"x"}}""",
            json.ToJsonString());
    }
}
