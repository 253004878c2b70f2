namespace Kindling.Sandbox.Tests;

/// <summary>
/// Sandbox tests share one launcher and run one at a time: CPU-share and freezer measurements on a 2-core
/// machine need the machine to themselves.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SandboxCollection : ICollectionFixture<SandboxFixture>
{
    public const string Name = "Sandboxes";
}
