using Kindling.Sandbox.Cgroups;

namespace Kindling.Sandbox.Tests.Cgroups;

/// <summary>The interface-file writer against ordinary files (the fakes of the driver tests behave the same way).</summary>
public sealed class CgroupFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kindling-cgroupfiles-tests-").FullName;

    [Fact]
    public void Write_ShorterValueOverALongerOne_LeavesOnlyTheNewValue()
    {
        CgroupFiles.Write(_directory, "cpu.shares", 1024);

        CgroupFiles.Write(_directory, "cpu.shares", 2);

        Assert.Equal("2", File.ReadAllText(Path.Combine(_directory, "cpu.shares")));
    }

    [Fact]
    public void Write_MissingDirectory_ThrowsIOExceptionNamingThePath()
    {
        var missing = Path.Combine(_directory, "gone");

        var exception = Assert.ThrowsAny<IOException>(() => CgroupFiles.Write(missing, "memory.max", "1"));

        Assert.Contains(Path.Combine(missing, "memory.max"), exception.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
