using System.Net;

namespace Kindling.Queues.Errors;

/// <summary>
/// An SQS error: <see cref="Type"/> is the JSON protocol's shape name (<c>QueueDoesNotExist</c>),
/// <see cref="Code"/> the query protocol's code (<c>AWS.SimpleQueueService.NonExistentQueue</c>).
/// </summary>
public sealed class QueueException(HttpStatusCode status, string type, string code, string message, bool senderFault = true) : Exception(message)
{
    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>The error's shape name in the JSON protocol (after <c>com.amazonaws.sqs#</c>).</summary>
    public string Type { get; } = type;

    /// <summary>The error code of the query protocol, also sent in <c>x-amzn-query-error</c>.</summary>
    public string Code { get; } = code;

    /// <summary>True for a client error (<c>Sender</c>), false for a server error (<c>Receiver</c>).</summary>
    public bool SenderFault { get; } = senderFault;
}
