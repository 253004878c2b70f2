namespace Kindling.Queues.Engine;

/// <summary>What SendMessage answers: the id, the digests, and for FIFO queues the sequence number.</summary>
public sealed record SentMessage(string MessageId, string Md5OfBody, string? Md5OfMessageAttributes, string? Md5OfSystemAttributes, string? SequenceNumber);
