namespace Kindling.Sandbox;

/// <summary>A sandbox could not be set up (bubblewrap failed, a bind source is missing, control groups refused…).</summary>
public sealed class SandboxLaunchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SandboxLaunchException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SandboxLaunchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SandboxLaunchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
