namespace Kindling.Sandbox;

/// <summary>Starts execution environments.</summary>
public interface ISandboxLauncher
{
    /// <summary>
    /// Creates the sandbox's control groups, /tmp and Runtime API listener, starts its command and returns once
    /// the command is running inside its limits.
    /// </summary>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="SandboxLaunchException">The sandbox could not be set up; nothing is left behind.</exception>
    ValueTask<ISandbox> LaunchAsync(SandboxSpec spec, CancellationToken cancellationToken);
}
