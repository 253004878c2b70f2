using Kindling.Sandbox.Interop;

namespace Kindling.Sandbox.Cgroups;

/// <summary>One sandbox's v2 group.</summary>
internal sealed class CgroupV2Group : ICgroup
{
    private static readonly TimeSpan s_freezeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_removeTimeout = TimeSpan.FromSeconds(10);

    private readonly CgroupCounterFile _peak;
    private long _observedPeak;
    private int _hasPeak = -1;

    public CgroupV2Group(string directory)
    {
        Directory = directory;
        Directories = [directory];
        _peak = new CgroupCounterFile(Path.Combine(directory, "memory.peak"));
    }

    public string Directory { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Directories { get; }

    /// <inheritdoc />
    public long MemoryUsageBytes
    {
        get
        {
            var current = CgroupFiles.ReadInt64(Directory, "memory.current");
            InterlockedMax(ref _observedPeak, current);
            return current;
        }
    }

    /// <inheritdoc />
    /// <remarks>memory.peak needs kernel 5.19; before that, the highest value this process has read.</remarks>
    public long MaxMemoryUsageBytes
    {
        get
        {
            if (_hasPeak < 0)
            {
                _hasPeak = File.Exists(_peak.Path) ? 1 : 0;
            }

            return _hasPeak == 1 ? _peak.Read() : Math.Max(MemoryUsageBytes, Interlocked.Read(ref _observedPeak));
        }
    }

    /// <inheritdoc />
    public long OomKillCount => CgroupFiles.ReadKeyed(Directory, "memory.events", "oom_kill");

    /// <inheritdoc />
    public TimeSpan CpuUsage => TimeSpan.FromMicroseconds(CgroupFiles.ReadKeyed(Directory, "cpu.stat", "usage_usec"));

    /// <inheritdoc />
    public void SetCpuLimit(double cpuCount) =>
        CgroupFiles.Write(Directory, "cpu.max", string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{new CgroupLimits(0, cpuCount, 0).CpuQuotaMicroseconds} {CgroupLimits.CpuPeriodMicroseconds}"));

    /// <inheritdoc />
    public void SetBackground(bool background) => CgroupFiles.Write(Directory, "cpu.weight", background ? 1 : 100);

    /// <inheritdoc />
    public void RaiseMemoryLimit(long bytes) => CgroupFiles.Write(Directory, "memory.max", bytes);

    /// <inheritdoc />
    /// <remarks>Nothing to do: memory.peak counts from the group's creation here (resetting it needs kernel 6.12 and is per reader).</remarks>
    public void ResetMemoryPeak()
    {
    }

    /// <inheritdoc />
    public void AddProcess(int pid) => CgroupFiles.Write(Directory, "cgroup.procs", pid);

    /// <inheritdoc />
    public IReadOnlyList<int> ReadProcesses() => CgroupFiles.ReadPids(Directory);

    /// <inheritdoc />
    public async ValueTask FreezeAsync(CancellationToken cancellationToken)
    {
        CgroupFiles.Write(Directory, "cgroup.freeze", 1);
        if (!await CgroupFiles.WaitUntilAsync(() => IsFrozen() == 1, s_freezeTimeout, cancellationToken))
        {
            throw new TimeoutException($"{Directory} did not freeze within {s_freezeTimeout.TotalSeconds} s.");
        }

        _peak.Close();
    }

    /// <inheritdoc />
    public async ValueTask ThawAsync(CancellationToken cancellationToken)
    {
        CgroupFiles.Write(Directory, "cgroup.freeze", 0);
        if (!await CgroupFiles.WaitUntilAsync(() => IsFrozen() == 0, s_freezeTimeout, cancellationToken))
        {
            throw new TimeoutException($"{Directory} did not thaw within {s_freezeTimeout.TotalSeconds} s.");
        }
    }

    /// <inheritdoc />
    /// <remarks>cgroup.kill (kernel 5.14) kills atomically; before it, the v1 way: freeze, SIGKILL each, thaw.</remarks>
    public async ValueTask KillAllAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(Directory, "cgroup.kill")))
        {
            CgroupFiles.Write(Directory, "cgroup.kill", 1);
            return;
        }

        CgroupFiles.Write(Directory, "cgroup.freeze", 1);
        _ = await CgroupFiles.WaitUntilAsync(() => IsFrozen() == 1, s_freezeTimeout, cancellationToken);
        foreach (var pid in ReadProcesses())
        {
            _ = Libc.kill(pid, Libc.SigKill);
        }

        CgroupFiles.Write(Directory, "cgroup.freeze", 0);
    }

    /// <inheritdoc />
    public ValueTask RemoveAsync(CancellationToken cancellationToken)
    {
        _peak.Dispose();
        return CgroupFiles.RemoveDirectoryAsync(Directory, s_removeTimeout, cancellationToken);
    }

    private long IsFrozen() => CgroupFiles.ReadKeyed(Directory, "cgroup.events", "frozen");

    private static void InterlockedMax(ref long location, long value)
    {
        var current = Interlocked.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
