namespace Kindling.Worker.Environments;

/// <summary>How one invocation ended, before it becomes an <c>InvocationResult</c> and a REPORT line.</summary>
/// <param name="Payload">The response or the error document.</param>
/// <param name="ErrorType">Null for a response.</param>
/// <param name="Status">REPORT's <c>Status</c> when the platform ended the invocation (<c>timeout</c>, <c>error</c>).</param>
/// <param name="Breaks">Whether the environment cannot serve again.</param>
internal readonly record struct Completion(byte[] Payload, string? ErrorType, string? Status, bool Breaks)
{
    /// <summary>The runtime exited before it took the event: the event can be given to a new runtime.</summary>
    public bool Undelivered { get; init; }
}
