namespace Kindling.Invocation.Async;

/// <summary>What an internal queue message asks for.</summary>
public enum AsyncEventKind
{
    /// <summary>Invoke the function with the payload.</summary>
    Invoke,

    /// <summary>Deliver the payload to a destination or dead-letter queue that could not be reached before.</summary>
    Deliver,
}
