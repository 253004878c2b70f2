using Kindling.Queues.Engine;
using Microsoft.Data.Sqlite;

namespace Kindling.Queues.Sqlite;

/// <summary>A message as stored, before this receive's changes.</summary>
internal sealed record MessageRow(
    long Seq, string Id, string Body, string? Attributes, string? TraceHeader, string SenderId, long Sent, int ReceiveCount,
    long? FirstReceive, string? GroupId, string? DedupId, string? SequenceNumber)
{
    public static MessageRow Read(SqliteDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetInt64(6), reader.GetInt32(7),
        reader.IsDBNull(8) ? null : reader.GetInt64(8), reader.IsDBNull(9) ? null : reader.GetString(9),
        reader.IsDBNull(10) ? null : reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11));

    public ReceivedMessage ToReceived(string receiptHandle, long firstReceive) => new()
    {
        MessageId = Id,
        ReceiptHandle = receiptHandle,
        Body = Body,
        Md5OfBody = Md5Digests.OfBody(Body),
        Attributes = StoredJson.ToAttributes(Attributes),
        ReceiveCount = ReceiveCount + 1,
        SentTimestamp = Sent,
        FirstReceiveTimestamp = firstReceive,
        SenderId = SenderId,
        TraceHeader = TraceHeader,
        MessageGroupId = GroupId,
        MessageDeduplicationId = DedupId,
        SequenceNumber = SequenceNumber,
    };
}
