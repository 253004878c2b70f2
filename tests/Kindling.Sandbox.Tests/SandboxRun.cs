using Kindling.Sandbox.Bubblewrap;

namespace Kindling.Sandbox.Tests;

/// <summary>A finished (and disposed) sandbox: how it ended, all it wrote, and the sandbox itself.</summary>
public sealed record SandboxRun(SandboxExit Exit, string Output, ISandbox Sandbox)
{
    public void Deconstruct(out SandboxExit exit, out string output)
    {
        exit = Exit;
        output = Output;
    }

    internal BubblewrapSandbox Bubblewrap => (BubblewrapSandbox)Sandbox;
}
