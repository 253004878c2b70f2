using System.Globalization;
using Kindling.Sandbox.Cgroups;

namespace Kindling.Sandbox.Tests.Cgroups;

/// <summary>The v1 driver's file writes, against a directory tree standing in for the hierarchies.</summary>
public sealed class CgroupV1DriverTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kindling-cgroup1-tests-").FullName;

    [Fact]
    public void PrimeAttach_WritesTheWorkersPidToItsOwnFreezerGroupOnly()
    {
        var own = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var controller in new[] { "memory", "cpu", "pids", "freezer" })
        {
            own[controller] = Directory.CreateDirectory(Path.Combine(_root, controller, "own")).FullName;
        }

        var driver = new CgroupV1Driver(own, "kindling", "42");

        driver.PrimeAttach();

        Assert.Equal(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(own["freezer"], "cgroup.procs")));
        Assert.False(File.Exists(Path.Combine(own["memory"], "cgroup.procs")));
        Assert.False(Directory.Exists(Path.Combine(own["freezer"], "kindling")));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
