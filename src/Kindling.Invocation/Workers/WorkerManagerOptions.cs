namespace Kindling.Invocation.Workers;

/// <summary>How the worker manager keeps environments warm and how much of the host it may fill.</summary>
public sealed record WorkerManagerOptions
{
    /// <summary>An idle environment is shut down (reason <c>spindown</c>) after this long unused. Default 10 minutes.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// An environment is recycled (reason <c>spindown</c>) once this old: when idle at the next reaper tick,
    /// when busy at the end of its invocation. Default 2 hours.
    /// </summary>
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromHours(2);

    /// <summary>
    /// An environment that has just finished an invocation stays thawed this long before it is frozen, so that an
    /// invocation arriving meanwhile (back-to-back traffic) takes it with no freeze and thaw between the two.
    /// Zero freezes at once. Default 20 ms.
    /// </summary>
    public TimeSpan HotWindow { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How often the reaper looks for expired idle environments (one timer for all of them). Default 5 s.</summary>
    public TimeSpan ReapInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The host's memory in bytes; null reads the physical memory (<c>MemTotal</c> of <c>/proc/meminfo</c>).</summary>
    public long? HostMemoryBytes { get; init; }

    /// <summary>
    /// How many new on-demand environments each function (all its versions together) may add per 10 seconds:
    /// a token bucket of this size, refilled continuously. An invocation that needs a new environment beyond it
    /// while none is free fails with <c>ScalingRateExceededException</c>. Provisioned environments do not count.
    /// Default 1,000, Lambda's rate.
    /// </summary>
    public int ScaleUpLimit { get; init; } = 1000;

    /// <summary>Memory kept for the operating system and Kindling itself, outside the environments' budget. Default 1 GiB.</summary>
    public long ReserveBytes { get; init; } = 1L << 30;
}
