using Kindling.Sandbox.Cgroups;

namespace Kindling.Sandbox.Tests.Cgroups;

/// <summary>The kept-open reader against an ordinary file (the real interface files: LimitTests).</summary>
public sealed class CgroupCounterFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kindling-counter-tests-").FullName;

    [Fact]
    public void Read_FileRewrittenBetweenReads_ReturnsTheCurrentValueEachTime()
    {
        var path = Path.Combine(_directory, "memory.max_usage_in_bytes");
        File.WriteAllText(path, "4194304\n");
        using var counter = new CgroupCounterFile(path);

        var first = counter.Read();
        File.WriteAllText(path, "123\n");

        Assert.Equal(4194304, first);
        Assert.Equal(123, counter.Read());
    }

    [Fact]
    public void Read_AfterClose_OpensTheFileAgain()
    {
        var path = Path.Combine(_directory, "memory.peak");
        File.WriteAllText(path, "7\n");
        using var counter = new CgroupCounterFile(path);
        Assert.Equal(7, counter.Read());

        counter.Close();
        File.Delete(path);
        File.WriteAllText(path, "8\n");

        Assert.Equal(8, counter.Read());
    }

    [Fact]
    public void Read_AfterDispose_ThrowsIOException()
    {
        var path = Path.Combine(_directory, "memory.peak");
        File.WriteAllText(path, "1\n");
        var counter = new CgroupCounterFile(path);
        Assert.Equal(1, counter.Read());

        counter.Dispose();

        Assert.Throws<IOException>(() => counter.Read());
    }

    [Fact]
    public void Read_NotANumberOrMissing_ThrowsIOException()
    {
        var path = Path.Combine(_directory, "memory.peak");
        File.WriteAllText(path, "max\n");

        using var counter = new CgroupCounterFile(path);
        using var missing = new CgroupCounterFile(Path.Combine(_directory, "gone"));

        Assert.Throws<IOException>(() => counter.Read());
        Assert.Throws<FileNotFoundException>(() => missing.Read());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
