namespace Kindling.Invocation.Workers;

/// <summary>The environments and waiting invocations of one pool key. Guarded by the manager's lock.</summary>
internal sealed class FunctionPool(string key)
{
    public string Key { get; } = key;

    /// <summary>Idle environments, most recently used first: load concentrates on the fewest environments.</summary>
    public LinkedList<EnvironmentSlot> Idle { get; } = new();

    /// <summary>Invocations waiting for an environment, oldest first.</summary>
    public LinkedList<EnvironmentWaiter> Waiters { get; } = new();

    public long IdleBytes { get; set; }

    public int Busy { get; set; }

    public int Freezing { get; set; }

    public int Starting { get; set; }

    public bool IsEmpty => Idle.Count == 0 && Waiters.Count == 0 && Busy == 0 && Freezing == 0 && Starting == 0;

    public WorkerPoolCounts Counts => new(Idle.Count, Busy, Freezing, Starting, Waiters.Count);
}
