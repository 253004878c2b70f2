using Kindling.Sandbox.Cgroups;

namespace Kindling.Sandbox.Tests.Cgroups;

/// <summary>The v2 driver against a directory tree standing in for cgroupfs (these machines run v1).</summary>
public sealed class CgroupV2DriverTests : IDisposable
{
    private readonly string _own = Directory.CreateTempSubdirectory("kindling-cgroup2-tests-").FullName;

    [Fact]
    public void Create_OwnGroupHoldsProcesses_MovesThemToALeafThenWritesLimits()
    {
        File.WriteAllText(Path.Combine(_own, "cgroup.subtree_control"), "");
        File.WriteAllText(Path.Combine(_own, "cgroup.procs"), "100\n101\n");
        var driver = new CgroupV2Driver(_own, "kindling", "42");

        var group = driver.Create("fn-1", new CgroupLimits(128L * 1024 * 1024, 0.25, 64));

        // A fake file keeps only the last pid written; the kernel would have moved both.
        Assert.Equal("101", File.ReadAllText(Path.Combine(_own, "kindling-worker", "cgroup.procs")));
        Assert.Equal("+memory +cpu +pids", File.ReadAllText(Path.Combine(_own, "cgroup.subtree_control")));
        Assert.Equal("+memory +cpu +pids", File.ReadAllText(Path.Combine(_own, "kindling", "cgroup.subtree_control")));
        Assert.Equal("+memory +cpu +pids", File.ReadAllText(Path.Combine(_own, "kindling", "42", "cgroup.subtree_control")));
        var directory = Path.Combine(_own, "kindling", "42", "fn-1");
        Assert.Equal([directory], group.Directories);
        Assert.Equal("134217728", File.ReadAllText(Path.Combine(directory, "memory.max")));
        Assert.Equal("25000 100000", File.ReadAllText(Path.Combine(directory, "cpu.max")));
        Assert.Equal("64", File.ReadAllText(Path.Combine(directory, "pids.max")));
    }

    [Fact]
    public void Create_ExistingName_ThrowsAndKeepsTheExistingGroup()
    {
        File.WriteAllText(Path.Combine(_own, "cgroup.subtree_control"), "cpu memory pids\n");
        var driver = new CgroupV2Driver(_own, "kindling", "42");
        var first = driver.Create("fn", new CgroupLimits(64L * 1024 * 1024, 1, 1024));

        var exception = Record.Exception(() => driver.Create("fn", new CgroupLimits(128L * 1024 * 1024, 1, 1024)));

        Assert.Equal($"mkdir {first.Directories[0]} failed: File exists (errno 17).", exception?.Message);
        Assert.Equal("67108864", File.ReadAllText(Path.Combine(first.Directories[0], "memory.max")));
        Assert.False(Directory.Exists(Path.Combine(_own, "kindling-worker")));
    }

    [Fact]
    public void PrimeAttach_WorkerMovedToALeaf_WritesItsPidWhereItIs()
    {
        File.WriteAllText(Path.Combine(_own, "cgroup.subtree_control"), "");
        File.WriteAllText(Path.Combine(_own, "cgroup.procs"), "100\n");
        var driver = new CgroupV2Driver(_own, "kindling", "42");

        driver.PrimeAttach();

        Assert.Equal(
            Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            File.ReadAllText(Path.Combine(_own, "kindling-worker", "cgroup.procs")));
    }

    [Fact]
    public void PrimeAttach_OwnGroupGone_DoesNotThrow()
    {
        File.WriteAllText(Path.Combine(_own, "cgroup.subtree_control"), "memory cpu pids");
        var driver = new CgroupV2Driver(_own, "kindling", "42");
        driver.Create("fn", new CgroupLimits(64L * 1024 * 1024, 1, 1024));
        Directory.Delete(_own, recursive: true);

        driver.PrimeAttach();

        Assert.False(Directory.Exists(_own));
        Directory.CreateDirectory(_own);
    }

    [Fact]
    public void RemoveLeftovers_DeadWorkersScope_IsRemovedAndLiveOnesKept()
    {
        var dead = Path.Combine(_own, "kindling", "999999999", "fn");
        var live = Path.Combine(_own, "kindling", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "fn");
        Directory.CreateDirectory(dead);
        Directory.CreateDirectory(live);
        var driver = new CgroupV2Driver(_own, "kindling", "42");

        driver.RemoveLeftovers();

        Assert.False(Directory.Exists(Path.GetDirectoryName(dead)));
        Assert.True(Directory.Exists(live));
    }

    [Fact]
    public async Task Properties_KernelFormattedFiles_AreParsed()
    {
        var group = new CgroupV2Group(_own);
        File.WriteAllText(Path.Combine(_own, "memory.current"), "1048576\n");
        File.WriteAllText(Path.Combine(_own, "memory.peak"), "4194304\n");
        File.WriteAllText(Path.Combine(_own, "memory.events"), "low 0\nhigh 0\nmax 7\noom 1\noom_kill 1\noom_group_kill 0\n");
        File.WriteAllText(Path.Combine(_own, "cpu.stat"), "usage_usec 250000\nuser_usec 200000\nsystem_usec 50000\n");
        File.WriteAllText(Path.Combine(_own, "cgroup.events"), "populated 1\nfrozen 1\n");

        Assert.Equal(1048576, group.MemoryUsageBytes);
        Assert.Equal(4194304, group.MaxMemoryUsageBytes);
        Assert.Equal(1, group.OomKillCount);
        Assert.Equal(TimeSpan.FromMilliseconds(250), group.CpuUsage);
        await group.FreezeAsync(CancellationToken.None);
        Assert.Equal("1", File.ReadAllText(Path.Combine(_own, "cgroup.freeze")));
    }

    public void Dispose() => Directory.Delete(_own, recursive: true);
}
