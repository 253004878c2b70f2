namespace Kindling.Sandbox.Cgroups;

/// <summary>What one sandbox's control groups enforce.</summary>
/// <param name="MemoryBytes">Hard memory limit (no swap).</param>
/// <param name="CpuCount">CPU quota in CPUs (0.5 = half of one CPU's time per period).</param>
/// <param name="PidsLimit">Most tasks (processes and threads) alive at once.</param>
internal sealed record CgroupLimits(long MemoryBytes, double CpuCount, int PidsLimit)
{
    /// <summary>The CFS period: 100 ms, the kernel's default.</summary>
    public const long CpuPeriodMicroseconds = 100_000;

    /// <summary>The quota per period; at least 1 ms, the kernel's minimum.</summary>
    public long CpuQuotaMicroseconds => Math.Max(1_000, (long)Math.Round(CpuCount * CpuPeriodMicroseconds));
}
