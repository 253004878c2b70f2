namespace Kindling.Sandbox.Cgroups;

/// <summary>One sandbox's control groups (one directory per v1 hierarchy, or one v2 directory).</summary>
internal interface ICgroup
{
    /// <summary>The directories, for diagnostics and tests.</summary>
    IReadOnlyList<string> Directories { get; }

    /// <summary>Current memory charge in bytes (includes page cache, as the kernel counts it).</summary>
    long MemoryUsageBytes { get; }

    /// <summary>Peak memory charge in bytes since creation.</summary>
    long MaxMemoryUsageBytes { get; }

    /// <summary>How many tasks the kernel's OOM killer has killed in this group.</summary>
    long OomKillCount { get; }

    /// <summary>CPU time consumed by the group's tasks.</summary>
    TimeSpan CpuUsage { get; }

    /// <summary>Sets the CPU quota (in CPUs, as <see cref="CgroupLimits.CpuCount"/>) of a running group.</summary>
    void SetCpuLimit(double cpuCount);

    /// <summary>
    /// Sets the group's CPU weight against its siblings and the worker: the least there is for a sandbox waiting in
    /// the background (it runs only on CPU nobody else wants), the default otherwise.
    /// </summary>
    void SetBackground(bool background);

    /// <summary>
    /// Raises the memory limit of a running group to <paramref name="bytes"/> (never lowers it: the kernel may refuse
    /// a limit below the current charge).
    /// </summary>
    void RaiseMemoryLimit(long bytes);

    /// <summary>Restarts the peak memory count where the kernel allows it (v1; on v2 it counts from the group's creation).</summary>
    void ResetMemoryPeak();

    /// <summary>Moves process <paramref name="pid"/> (and its future children) into every group.</summary>
    void AddProcess(int pid);

    /// <summary>The pids now in the group.</summary>
    IReadOnlyList<int> ReadProcesses();

    /// <summary>Freezes every task and returns once the kernel reports the group frozen.</summary>
    ValueTask FreezeAsync(CancellationToken cancellationToken);

    /// <summary>Thaws every task and returns once the kernel reports the group thawed.</summary>
    ValueTask ThawAsync(CancellationToken cancellationToken);

    /// <summary>Sends SIGKILL to every task, including ones forking at that moment.</summary>
    ValueTask KillAllAsync(CancellationToken cancellationToken);

    /// <summary>Removes the directories, retrying while the kernel still counts an exiting task (EBUSY).</summary>
    ValueTask RemoveAsync(CancellationToken cancellationToken);
}
