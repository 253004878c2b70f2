using Kindling.Sandbox.Interop;

namespace Kindling.Sandbox.Cgroups;

/// <summary>One sandbox's groups in the v1 hierarchies.</summary>
internal sealed class CgroupV1Group : ICgroup
{
    private static readonly TimeSpan s_freezeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_removeTimeout = TimeSpan.FromSeconds(10);

    private readonly CgroupCounterFile _maxUsage;

    public CgroupV1Group(string memory, string cpu, string? cpuAccounting, string pids, string freezer)
    {
        MemoryDirectory = memory;
        CpuDirectory = cpu;
        CpuAccountingDirectory = cpuAccounting ?? cpu;
        PidsDirectory = pids;
        FreezerDirectory = freezer;
        Directories = new[] { memory, cpu, CpuAccountingDirectory, pids, freezer }.Distinct(StringComparer.Ordinal).ToArray();
        _maxUsage = new CgroupCounterFile(Path.Combine(memory, "memory.max_usage_in_bytes"));
    }

    public string MemoryDirectory { get; }

    public string CpuDirectory { get; }

    public string CpuAccountingDirectory { get; }

    public string PidsDirectory { get; }

    public string FreezerDirectory { get; }

    /// <summary>Whether memory.memsw.limit_in_bytes exists (swap accounting on), as found when the group was created.</summary>
    public bool HasSwapLimit { get; set; }

    /// <inheritdoc />
    public IReadOnlyList<string> Directories { get; }

    /// <inheritdoc />
    public long MemoryUsageBytes => CgroupFiles.ReadInt64(MemoryDirectory, "memory.usage_in_bytes");

    /// <inheritdoc />
    public long MaxMemoryUsageBytes => _maxUsage.Read();

    /// <inheritdoc />
    /// <remarks>memory.failcnt counts every reclaim at the limit, not kills; oom_kill (kernel ≥ 4.13) counts kills.</remarks>
    public long OomKillCount => CgroupFiles.ReadKeyed(MemoryDirectory, "memory.oom_control", "oom_kill");

    /// <inheritdoc />
    public TimeSpan CpuUsage => TimeSpan.FromTicks(CgroupFiles.ReadInt64(CpuAccountingDirectory, "cpuacct.usage") / 100);

    /// <inheritdoc />
    public void SetCpuLimit(double cpuCount) =>
        CgroupFiles.Write(CpuDirectory, "cpu.cfs_quota_us", new CgroupLimits(0, cpuCount, 0).CpuQuotaMicroseconds);

    /// <inheritdoc />
    public void SetBackground(bool background) => CgroupFiles.Write(CpuDirectory, "cpu.shares", background ? 2 : 1024);

    /// <inheritdoc />
    public void RaiseMemoryLimit(long bytes)
    {
        // memsw may not be below the memory limit: raised first.
        if (HasSwapLimit)
        {
            CgroupFiles.Write(MemoryDirectory, "memory.memsw.limit_in_bytes", bytes);
        }

        CgroupFiles.Write(MemoryDirectory, "memory.limit_in_bytes", bytes);
    }

    /// <inheritdoc />
    public void ResetMemoryPeak() => CgroupFiles.Write(MemoryDirectory, "memory.max_usage_in_bytes", 0);

    /// <inheritdoc />
    public void AddProcess(int pid)
    {
        foreach (var directory in Directories)
        {
            CgroupFiles.Write(directory, "cgroup.procs", pid);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<int> ReadProcesses() => CgroupFiles.ReadPids(FreezerDirectory);

    /// <inheritdoc />
    public async ValueTask FreezeAsync(CancellationToken cancellationToken)
    {
        CgroupFiles.Write(FreezerDirectory, "freezer.state", "FROZEN");
        if (!await CgroupFiles.WaitUntilAsync(() => IsState("FROZEN"), s_freezeTimeout, cancellationToken))
        {
            throw new TimeoutException($"{FreezerDirectory} did not freeze within {s_freezeTimeout.TotalSeconds} s.");
        }

        _maxUsage.Close();
    }

    /// <inheritdoc />
    public async ValueTask ThawAsync(CancellationToken cancellationToken)
    {
        CgroupFiles.Write(FreezerDirectory, "freezer.state", "THAWED");
        if (!await CgroupFiles.WaitUntilAsync(() => IsState("THAWED"), s_freezeTimeout, cancellationToken))
        {
            throw new TimeoutException($"{FreezerDirectory} did not thaw within {s_freezeTimeout.TotalSeconds} s.");
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// v1 has no cgroup.kill: freeze so nothing forks between reading cgroup.procs and signalling, SIGKILL each
    /// pid, thaw so the kills are delivered. If the freeze does not complete (a task stuck in the kernel), the
    /// pids are killed anyway.
    /// </remarks>
    public async ValueTask KillAllAsync(CancellationToken cancellationToken)
    {
        CgroupFiles.Write(FreezerDirectory, "freezer.state", "FROZEN");
        _ = await CgroupFiles.WaitUntilAsync(() => IsState("FROZEN"), s_freezeTimeout, cancellationToken);
        foreach (var pid in ReadProcesses())
        {
            _ = Libc.kill(pid, Libc.SigKill);
        }

        CgroupFiles.Write(FreezerDirectory, "freezer.state", "THAWED");
    }

    /// <inheritdoc />
    public async ValueTask RemoveAsync(CancellationToken cancellationToken)
    {
        _maxUsage.Dispose();
        foreach (var directory in Directories)
        {
            await CgroupFiles.RemoveDirectoryAsync(directory, s_removeTimeout, cancellationToken);
        }
    }

    private bool IsState(string state)
        => CgroupFiles.Read(FreezerDirectory, "freezer.state").AsSpan().Trim().SequenceEqual(state);
}
