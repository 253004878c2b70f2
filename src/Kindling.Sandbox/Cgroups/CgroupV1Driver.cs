using Kindling.Sandbox.Interop;

namespace Kindling.Sandbox.Cgroups;

/// <summary>
/// cgroup v1: one group per hierarchy (memory, cpu, cpuacct when mounted apart, pids, freezer), each created
/// under <c>&lt;own group&gt;/&lt;groupName&gt;/&lt;scope&gt;</c> in that hierarchy.
/// </summary>
internal sealed class CgroupV1Driver : ICgroupDriver
{
    private readonly IReadOnlyDictionary<string, string> _parents;
    private readonly string[] _groupDirectories;
    private readonly string _ownFreezer;

    /// <param name="ownDirectories">Controller name → the worker's own group directory in that hierarchy.</param>
    /// <param name="groupName">The directory under each own group that holds the workers' scopes.</param>
    /// <param name="scope">This worker's directory under it.</param>
    public CgroupV1Driver(IReadOnlyDictionary<string, string> ownDirectories, string groupName, string scope)
    {
        ArgumentNullException.ThrowIfNull(ownDirectories);
        ArgumentException.ThrowIfNullOrWhiteSpace(groupName);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        _parents = ownDirectories.ToDictionary(p => p.Key, p => Path.Combine(p.Value, groupName, scope), StringComparer.Ordinal);
        _groupDirectories = ownDirectories.Values.Select(d => Path.Combine(d, groupName)).Distinct(StringComparer.Ordinal).ToArray();
        _ownFreezer = ownDirectories["freezer"];
    }

    /// <inheritdoc />
    /// <remarks>One hierarchy is enough: the grace period is the kernel's, shared by every hierarchy.</remarks>
    public void PrimeAttach() => CgroupFiles.TryWrite(_ownFreezer, "cgroup.procs", Environment.ProcessId);

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
        var created = new List<string>();
        try
        {
            foreach (var directory in group.Directories)
            {
                CgroupFiles.CreateDirectory(directory);
                created.Add(directory);
            }

            CgroupFiles.Write(group.MemoryDirectory, "memory.limit_in_bytes", limits.MemoryBytes);
            // memsw (memory + swap) exists only with swap accounting; equal to the memory limit it forbids swap.
            // It may not be below memory.limit_in_bytes, hence the order.
            group.HasSwapLimit = File.Exists(Path.Combine(group.MemoryDirectory, "memory.memsw.limit_in_bytes"));
            if (group.HasSwapLimit)
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
            foreach (var directory in created)
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

    /// <inheritdoc />
    public void RemoveLeftovers()
    {
        var stale = _groupDirectories.SelectMany(WorkerScope.FindStale).ToList();
        foreach (var group in stale)
        {
            CgroupFiles.KillTree(group);
        }

        foreach (var group in stale)
        {
            CgroupFiles.RemoveTree(group);
        }
    }

    /// <inheritdoc />
    public void RemoveScope()
    {
        foreach (var directory in _parents.Values.Distinct(StringComparer.Ordinal))
        {
            CgroupFiles.TryRemoveDirectory(directory);
        }
    }
}
