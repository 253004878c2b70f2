namespace Kindling.Invocation.Environments;

/// <summary>No environment could be placed: the host's memory budget is used by busy environments.</summary>
public sealed class CapacityExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CapacityExceededException(string message)
        : base(message)
    {
    }
}
