using Kindling.Invocation.Environments;

namespace Kindling.Invocation.Workers;

/// <summary>The environments and waiting invocations of one pool key. Guarded by the manager's lock.</summary>
internal sealed class FunctionPool(string key)
{
    public string Key { get; } = key;

    /// <summary>Idle on-demand environments, most recently used first: load concentrates on the fewest environments.</summary>
    public LinkedList<EnvironmentSlot> Idle { get; } = new();

    /// <summary>Idle provisioned environments, most recently used first; taken before <see cref="Idle"/>.</summary>
    public LinkedList<EnvironmentSlot> ProvisionedIdle { get; } = new();

    /// <summary>Invocations waiting for an environment, oldest first.</summary>
    public LinkedList<EnvironmentWaiter> Waiters { get; } = new();

    /// <summary>Memory of the idle on-demand environments (the evictable ones).</summary>
    public long IdleBytes { get; set; }

    public int Busy { get; set; }

    public int Freezing { get; set; }

    /// <summary>On-demand launches under way (each covers one waiting invocation).</summary>
    public int Starting { get; set; }

    /// <summary>Provisioned environments wanted; 0 when none is configured.</summary>
    public int ProvisionedTarget { get; set; }

    /// <summary>The version provisioned environments are launched for (set while <see cref="ProvisionedTarget"/> is above 0).</summary>
    public FunctionSpec? ProvisionedFunction { get; set; }

    /// <summary>Provisioned launches under way (not counted in <see cref="Starting"/>: they cover no waiter).</summary>
    public int ProvisionedStarting { get; set; }

    /// <summary>Provisioned environments launched, initialized and in service (busy, freezing or idle).</summary>
    public int ProvisionedLive { get; set; }

    /// <summary>Why the last provisioned launch failed; cleared once the target is reached.</summary>
    public string? ProvisionedFailure { get; set; }

    /// <summary>The function and version whose configurations this pool is one of (set at its first cold start).</summary>
    public string? Lineage { get; set; }

    /// <summary>
    /// A newer configuration of the same function version has cold-started: no invocation will ask for this one
    /// again, so its idle on-demand environments are shut down at the next reap instead of after the keep-alive.
    /// </summary>
    public bool Superseded { get; set; }

    public bool IsEmpty => Idle.Count == 0 && ProvisionedIdle.Count == 0 && Waiters.Count == 0 && Busy == 0 && Freezing == 0
        && Starting == 0 && ProvisionedTarget == 0 && ProvisionedStarting == 0 && ProvisionedLive == 0;

    public WorkerPoolCounts Counts => new(Idle.Count + ProvisionedIdle.Count, Busy, Freezing, Starting + ProvisionedStarting, Waiters.Count);
}
