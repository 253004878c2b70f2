namespace Kindling.Invocation.Async;

/// <summary>A delivery that retrying cannot fix (an unsupported target, a message the target refuses by size).</summary>
public sealed class UndeliverableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UndeliverableException(string message)
        : base(message)
    {
    }
}
