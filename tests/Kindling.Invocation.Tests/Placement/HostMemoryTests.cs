using Kindling.Invocation.Placement;

namespace Kindling.Invocation.Tests.Placement;

public sealed class HostMemoryTests
{
    [Fact]
    public void ReadTotalBytes_MemInfoFile_ReturnsMemTotalInBytes()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "MemTotal:       24684092 kB\nMemFree:        22260328 kB\n");

            Assert.Equal(24684092L * 1024, HostMemory.ReadTotalBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadTotalBytes_NoMemTotalLine_ThrowsNamingTheFile()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "MemFree:        22260328 kB\n");

            var error = Assert.Throws<InvalidOperationException>(() => HostMemory.ReadTotalBytes(path));
            Assert.Equal($"Kindling could not read the host's memory: no 'MemTotal: N kB' line in {path}.", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadTotalBytes_ThisHost_IsPositive() =>
        Assert.True(HostMemory.ReadTotalBytes(HostMemory.MemInfoPath) > 0);

    [Fact]
    public void Budget_NoHostMemoryGiven_IsPhysicalMemoryMinusTheReserve() =>
        Assert.Equal(3L << 30, HostMemory.Budget(null, 1L << 30, () => 4L << 30));

    [Fact]
    public void Budget_HostMemoryGiven_DoesNotReadPhysicalMemory() =>
        Assert.Equal(1L << 30, HostMemory.Budget(2L << 30, 1L << 30, () => throw new InvalidOperationException("read")));

    [Fact]
    public void Budget_ReserveLeavesTooLittle_ThrowsWithTheNumbers()
    {
        var error = Assert.Throws<InvalidOperationException>(() => HostMemory.Budget(1L << 30, 1L << 30, () => 0));

        Assert.Equal(
            "Kindling's memory budget for execution environments is 0 MB (1024 MB of host memory minus a 1024 MB reserve); it must be at least 128 MB.",
            error.Message);
    }
}
