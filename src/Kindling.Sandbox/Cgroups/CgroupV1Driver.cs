namespace Kindling.Sandbox.Cgroups;

/// <summary>
/// cgroup v1: one group per hierarchy (memory, cpu, cpuacct when mounted apart, pids, freezer), each created
/// under the worker's own group in that hierarchy.
/// </summary>
internal sealed class CgroupV1Driver : ICgroupDriver
{
    private readonly IReadOnlyDictionary<string, string> _parents;

    /// <param name="ownDirectories">Controller name → the worker's own group directory in that hierarchy.</param>
    /// <param name="groupName">The directory under each own group that holds sandboxes' groups.</param>
    public CgroupV1Driver(IReadOnlyDictionary<string, string> ownDirectories, string groupName)
    {
        ArgumentNullException.ThrowIfNull(ownDirectories);
        ArgumentException.ThrowIfNullOrWhiteSpace(groupName);
        _parents = ownDirectories.ToDictionary(p => p.Key, p => Path.Combine(p.Value, groupName), StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public string Version => "v1";

    /// <inheritdoc />
    public ICgroup Create(string name, CgroupLimits limits)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(limits);

        string Directory(string controller) => Path.Combine(_parents[controller], name);
        var group = new CgroupV1Group(
            memory: Directory("memory"),
            cpu: Directory("cpu"),
            cpuAccounting: _parents.ContainsKey("cpuacct") ? Directory("cpuacct") : null,
            pids: Directory("pids"),
            freezer: Directory("freezer"));
        try
        {
            foreach (var directory in group.Directories)
            {
                System.IO.Directory.CreateDirectory(directory);
            }

            CgroupFiles.Write(group.MemoryDirectory, "memory.limit_in_bytes", limits.MemoryBytes);
            // memsw (memory + swap) exists only with swap accounting; equal to the memory limit it forbids swap.
            // It may not be below memory.limit_in_bytes, hence the order.
            if (File.Exists(Path.Combine(group.MemoryDirectory, "memory.memsw.limit_in_bytes")))
            {
                CgroupFiles.Write(group.MemoryDirectory, "memory.memsw.limit_in_bytes", limits.MemoryBytes);
            }

            CgroupFiles.Write(group.MemoryDirectory, "memory.swappiness", 0);
            CgroupFiles.Write(group.CpuDirectory, "cpu.cfs_period_us", CgroupLimits.CpuPeriodMicroseconds);
            CgroupFiles.Write(group.CpuDirectory, "cpu.cfs_quota_us", limits.CpuQuotaMicroseconds);
            CgroupFiles.Write(group.PidsDirectory, "pids.max", limits.PidsLimit);
            return group;
        }
        catch
        {
            foreach (var directory in group.Directories)
            {
                try
                {
                    System.IO.Directory.Delete(directory);
                }
                catch (IOException)
                {
                }
            }

            throw;
        }
    }
}
