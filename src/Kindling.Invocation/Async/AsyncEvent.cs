namespace Kindling.Invocation.Async;

/// <summary>
/// One accepted event (or pending delivery) as the internal queue holds it: the payload is the message body, the
/// rest travels in one message attribute. Retries and back-offs re-send it with the counters advanced; the request
/// id and the acceptance time never change, so the event's age and identity survive every hop.
/// </summary>
public sealed record AsyncEvent
{
    /// <summary>Invoke or deliver.</summary>
    public AsyncEventKind Kind { get; init; } = AsyncEventKind.Invoke;

    /// <summary>The function's name.</summary>
    public required string FunctionName { get; init; }

    /// <summary>The qualifier the caller used (null for unqualified).</summary>
    public string? Qualifier { get; init; }

    /// <summary>The request id answered with the 202; the function sees it on every attempt.</summary>
    public required string RequestId { get; init; }

    /// <summary>When the 202 was sent (epoch ms).</summary>
    public required long AcceptedAtMs { get; init; }

    /// <summary>Invocations that reached the function (function errors consume retries; throttles do not).</summary>
    public int Attempts { get; init; }

    /// <summary>Consecutive throttles or Kindling-side failures, for the exponential back-off.</summary>
    public int Throttles { get; init; }

    /// <summary>The trace header the caller sent, if any.</summary>
    public string? TraceHeader { get; init; }

    /// <summary>The event bytes (Invoke) or the message to deliver (Deliver).</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>Deliver: the target ARN (an SQS queue or a function).</summary>
    public string? Target { get; init; }

    /// <summary>Deliver: what the delivery is, for logs (<c>OnSuccess</c>, <c>OnFailure</c>, <c>DeadLetter</c>).</summary>
    public string? Purpose { get; init; }

    /// <summary>Deliver to a dead-letter queue: the <c>ErrorCode</c> attribute.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Deliver to a dead-letter queue: the <c>ErrorMessage</c> attribute.</summary>
    public string? ErrorMessage { get; init; }
}
