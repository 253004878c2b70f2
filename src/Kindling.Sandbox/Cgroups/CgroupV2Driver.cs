using System.Globalization;
using Kindling.Sandbox.Interop;

namespace Kindling.Sandbox.Cgroups;

/// <summary>
/// cgroup v2: one group per sandbox under <c>&lt;own&gt;/&lt;groupName&gt;/&lt;scope&gt;</c>. v2 forbids enabling controllers for
/// children of a group that holds processes, so when the worker's own group lacks them in cgroup.subtree_control
/// the worker's processes first move to a leaf <c>&lt;own&gt;/&lt;groupName&gt;-worker</c> (what systemd's
/// <c>Delegate=</c> expects of a delegated service).
/// </summary>
internal sealed class CgroupV2Driver : ICgroupDriver
{
    private const string Controllers = "+memory +cpu +pids";

    private readonly string _own;
    private readonly string _groupName;
    private readonly string _scope;
    private readonly Lock _lock = new();
    private string? _parent;
    private string? _workerGroup;

    public CgroupV2Driver(string ownDirectory, string groupName, string scope)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ownDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(groupName);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        _own = ownDirectory;
        _groupName = groupName;
        _scope = scope;
    }

    /// <inheritdoc />
    public string Version => "v2";

    /// <inheritdoc />
    public ICgroup Create(string name, CgroupLimits limits)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(limits);

        var group = new CgroupV2Group(Path.Combine(EnsureParent(), name));
        CgroupFiles.CreateDirectory(group.Directory);
        try
        {
            CgroupFiles.Write(group.Directory, "memory.max", limits.MemoryBytes);
            if (File.Exists(Path.Combine(group.Directory, "memory.swap.max")))
            {
                CgroupFiles.Write(group.Directory, "memory.swap.max", 0);
            }

            CgroupFiles.Write(group.Directory, "cpu.max", string.Create(
                CultureInfo.InvariantCulture, $"{limits.CpuQuotaMicroseconds} {CgroupLimits.CpuPeriodMicroseconds}"));
            CgroupFiles.Write(group.Directory, "pids.max", limits.PidsLimit);
            return group;
        }
        catch
        {
            try
            {
                Directory.Delete(group.Directory);
            }
            catch (IOException)
            {
            }

            throw;
        }
    }

    private string EnsureParent()
    {
        lock (_lock)
        {
            if (_parent is not null)
            {
                return _parent;
            }

            if (!HasAllControllers(CgroupFiles.Read(_own, "cgroup.subtree_control")))
            {
                var pids = CgroupFiles.ReadPids(_own);
                if (pids.Count > 0)
                {
                    var leaf = Path.Combine(_own, _groupName + "-worker");
                    Directory.CreateDirectory(leaf);
                    foreach (var pid in pids)
                    {
                        CgroupFiles.Write(leaf, "cgroup.procs", pid);
                    }

                    _workerGroup = leaf;
                }

                CgroupFiles.Write(_own, "cgroup.subtree_control", Controllers);
            }

            var group = Path.Combine(_own, _groupName);
            Directory.CreateDirectory(group);
            CgroupFiles.Write(group, "cgroup.subtree_control", Controllers);
            var parent = Path.Combine(group, _scope);
            Directory.CreateDirectory(parent);
            CgroupFiles.Write(parent, "cgroup.subtree_control", Controllers);
            _parent = parent;
            return parent;
        }
    }

    /// <inheritdoc />
    public void PrimeAttach()
    {
        EnsureParent();
        CgroupFiles.TryWrite(_workerGroup ?? _own, "cgroup.procs", Environment.ProcessId);
    }

    /// <inheritdoc />
    public void RemoveLeftovers()
    {
        foreach (var stale in WorkerScope.FindStale(Path.Combine(_own, _groupName)))
        {
            CgroupFiles.KillTree(stale);
            CgroupFiles.RemoveTree(stale);
        }
    }

    /// <inheritdoc />
    public void RemoveScope() => CgroupFiles.TryRemoveDirectory(Path.Combine(_own, _groupName, _scope));

    private static bool HasAllControllers(string subtreeControl)
    {
        var enabled = subtreeControl.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return enabled.Contains("memory") && enabled.Contains("cpu") && enabled.Contains("pids");
    }
}
