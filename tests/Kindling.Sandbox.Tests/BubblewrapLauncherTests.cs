namespace Kindling.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class BubblewrapLauncherTests(SandboxFixture fixture)
{
    [Fact]
    public async Task LaunchAsync_Echo_RunsCommandAndReportsExitCode()
    {
        var (exit, output) = await fixture.RunAsync(fixture.Shell("echo hello; exit 3"));

        Assert.Equal("hello\n", output);
        Assert.Equal(new SandboxExit(3, null, false), exit);
    }
}
