using Kindling.Invocation.Environments;

namespace Kindling.Invocation.Workers;

/// <summary>
/// The worker manager's state for one execution environment. Guarded by the manager's lock, except
/// <see cref="Frozen"/>, which only the environment's current owner (an invocation, a freeze, a retirement) touches.
/// </summary>
internal sealed class EnvironmentSlot
{
    public EnvironmentSlot(IExecutionEnvironment environment, FunctionPool pool, long reservedBytes, long createdAt, bool provisioned = false)
    {
        Environment = environment;
        Pool = pool;
        ReservedBytes = reservedBytes;
        CreatedAt = createdAt;
        Provisioned = provisioned;
        PoolNode = new LinkedListNode<EnvironmentSlot>(this);
        LruNode = new LinkedListNode<EnvironmentSlot>(this);
    }

    public IExecutionEnvironment Environment { get; }

    public FunctionPool Pool { get; }

    /// <summary>What placement holds for it (released exactly once, after disposal).</summary>
    public long ReservedBytes { get; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> at launch, for the maximum lifetime.</summary>
    public long CreatedAt { get; }

    /// <summary>
    /// Launched ahead of traffic for provisioned concurrency: parked on the pool's provisioned idle stack, never
    /// reaped by the keep-alive nor evicted, and replaced when it fails or reaches the maximum lifetime.
    /// </summary>
    public bool Provisioned { get; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when it last became idle, for the keep-alive.</summary>
    public long IdleSince { get; set; }

    public SlotState State { get; set; } = SlotState.Busy;

    public bool Frozen { get; set; }

    /// <summary>Moves on each time the environment is parked thawed: a delayed freeze applies to one parking only.</summary>
    public long HotParkings { get; set; }

    /// <summary>Its node in the pool's idle stack (reused: parking allocates nothing).</summary>
    public LinkedListNode<EnvironmentSlot> PoolNode { get; }

    /// <summary>Its node in the manager's least-recently-used idle list (on-demand environments only: the eviction order).</summary>
    public LinkedListNode<EnvironmentSlot> LruNode { get; }
}
