namespace Kindling.Invocation.Environments;

/// <summary>The sandbox of an environment could not be started (a host problem, not a function error).</summary>
public sealed class EnvironmentLaunchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EnvironmentLaunchException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
