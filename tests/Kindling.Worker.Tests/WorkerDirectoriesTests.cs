namespace Kindling.Worker.Tests;

public sealed class WorkerDirectoriesTests
{
    private const UnixFileMode Open = (UnixFileMode)0b111_101_101;
    private const UnixFileMode Private = (UnixFileMode)0b111_000_000;

    [Fact]
    public void Worker_DataUnderTraversableParents_CacheInsideData()
    {
        var directories = new WorkerDirectories("/srv/kindling", parentModes: _ => Open);

        Assert.Equal("/srv/kindling/worker", directories.Worker);
        Assert.Equal("/srv/kindling/worker/code", directories.Code);
        Assert.Equal("/srv/kindling/logs", directories.Logs);
    }

    [Fact]
    public void Worker_DataUnderPrivateHome_CacheUnderVarLibPerDataDirectory()
    {
        UnixFileMode? Modes(string path) => path == "/root" ? Private : Open;

        var first = new WorkerDirectories("/root/.local/share/kindling", parentModes: Modes);
        var second = new WorkerDirectories("/root/other", parentModes: Modes);

        Assert.Matches(@"^/var/lib/kindling/worker-[0-9a-f]{12}$", first.Worker);
        Assert.NotEqual(first.Worker, second.Worker);
        Assert.Equal(first.Worker, new WorkerDirectories("/root/.local/share/kindling", parentModes: Modes).Worker);
        Assert.Equal("/root/.local/share/kindling/logs", first.Logs);
    }

    [Fact]
    public void Worker_ExplicitCacheDirectory_Wins()
    {
        var directories = new WorkerDirectories("/root/data", "/cache/k", _ => Private);

        Assert.Equal("/cache/k", directories.Worker);
        Assert.Equal("/cache/k/sandbox", directories.Sandbox);
    }
}
