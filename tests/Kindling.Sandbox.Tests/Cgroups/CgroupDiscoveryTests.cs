using Kindling.Sandbox.Cgroups;

namespace Kindling.Sandbox.Tests.Cgroups;

public sealed class CgroupDiscoveryTests : IDisposable
{
    // This machine's kind: cgroup v1 with cpu and cpuacct mounted apart, and an empty cgroup2 beside them.
    private const string HybridMountInfo =
        "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
        + "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
        + "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
        + "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
        + "37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer\n"
        + "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
        + "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
        + "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

    private const string HybridProcessCgroups =
        "9:name=systemd:/\n8:pids:/\n6:freezer:/\n4:memory:/process_api/e93b\n2:cpuacct:/\n1:cpu:/\n0::/\n";

    private readonly string _root = Directory.CreateTempSubdirectory("kindling-cgroup-tests-").FullName;

    [Fact]
    public void FindMounts_HybridHost_FindsOwnGroupInEachHierarchy()
    {
        var (v1, v2) = CgroupDiscovery.FindMounts(HybridMountInfo, HybridProcessCgroups);

        Assert.Equal(
            ["cpu:/sys/fs/cgroup/cpu", "cpuacct:/sys/fs/cgroup/cpuacct", "memory:/sys/fs/cgroup/memory/process_api/e93b",
                "freezer:/sys/fs/cgroup/freezer", "pids:/sys/fs/cgroup/pids"],
            v1.Select(m => string.Join(',', m.Controllers) + ":" + m.OwnDirectory));
        Assert.Equal("/sys/fs/cgroup/unified", v2?.OwnDirectory);
    }

    [Fact]
    public void FindMounts_MountOfASubtree_StripsTheMountRoot()
    {
        var mountInfo = "35 31 0:32 /docker/abc /sys/fs/cgroup/memory ro,relatime - cgroup cgroup rw,memory\n"
            + "36 31 0:33 /docker/abc /sys/fs/cgroup/cpu\\040acct rw - cgroup cgroup rw,cpu,cpuacct\n";

        var (v1, _) = CgroupDiscovery.FindMounts(mountInfo, "4:memory:/docker/abc/worker\n2:cpu,cpuacct:/docker/abc\n");

        Assert.Equal(
            ["memory:/sys/fs/cgroup/memory/worker", "cpu,cpuacct:/sys/fs/cgroup/cpu acct"],
            v1.Select(m => string.Join(',', m.Controllers.Order(StringComparer.Ordinal)) + ":" + m.OwnDirectory));
    }

    [Fact]
    public void CreateDriver_HybridHostWithEmptyCgroup2_ChoosesV1()
    {
        var paths = WriteProcFiles(HybridMountInfo, HybridProcessCgroups);

        var driver = CgroupDiscovery.CreateDriver(paths);

        Assert.Equal("v1", driver.Version);
    }

    [Fact]
    public void CreateDriver_Cgroup2WithControllers_ChoosesV2()
    {
        var unified = Path.Combine(_root, "unified");
        Directory.CreateDirectory(Path.Combine(unified, "system.slice", "kindling.service"));
        File.WriteAllText(Path.Combine(unified, "system.slice", "kindling.service", "cgroup.controllers"), "cpuset cpu io memory pids\n");
        var paths = WriteProcFiles(
            $"41 31 0:38 / {unified} rw,relatime - cgroup2 cgroup2 rw\n", "0::/system.slice/kindling.service\n");

        var driver = CgroupDiscovery.CreateDriver(paths);

        Assert.Equal("v2", driver.Version);
    }

    [Fact]
    public void CreateDriver_NoUsableHierarchy_ThrowsPlatformNotSupported()
    {
        var paths = WriteProcFiles(
            "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n", "4:memory:/\n");

        var exception = Assert.Throws<PlatformNotSupportedException>(() => CgroupDiscovery.CreateDriver(paths));

        Assert.Equal("No usable control groups: cgroup v2 lacks memory/cpu/pids and cgroup v1 lacks cpu, pids, freezer.", exception.Message);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private CgroupPaths WriteProcFiles(string mountInfo, string processCgroups)
    {
        var mountInfoPath = Path.Combine(_root, "mountinfo");
        var cgroupPath = Path.Combine(_root, "cgroup");
        File.WriteAllText(mountInfoPath, mountInfo);
        File.WriteAllText(cgroupPath, processCgroups);
        return new CgroupPaths(mountInfoPath, cgroupPath, "kindling", "42");
    }
}
