using Kindling.Queues.Errors;

namespace Kindling.Queues.Engine;

/// <summary>One message of a batch send: sent, or refused with SQS's error.</summary>
public sealed record SendOutcome(SentMessage? Message, QueueException? Error);
