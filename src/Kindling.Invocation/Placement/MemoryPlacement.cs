using Kindling.Invocation.Environments;

namespace Kindling.Invocation.Placement;

/// <summary>
/// Packs execution environments onto the host by memory. Every environment holds a reservation of its memory
/// size from the moment its launch is decided until it has been shut down and disposed; the sum never exceeds
/// the budget. A reservation that does not fit first makes room by evicting idle environments of other
/// functions (least recently used first), and only then is refused.
/// </summary>
/// <remarks>
/// Plain logic with no knowledge of hosting, so that it can later place across worker hosts. The counter is
/// updated with compare-and-swap: reservations are exact under any concurrency and the warm path takes no lock.
/// </remarks>
internal sealed class MemoryPlacement
{
    private const long Mb = 1024 * 1024;
    private long _reserved;

    /// <summary>Creates placement over a budget in bytes.</summary>
    public MemoryPlacement(long budgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(budgetBytes);
        BudgetBytes = budgetBytes;
    }

    /// <summary>The memory environments may hold in total.</summary>
    public long BudgetBytes { get; }

    /// <summary>The memory held now by starting, busy and idle environments.</summary>
    public long ReservedBytes => Volatile.Read(ref _reserved);

    /// <summary>Reserves <paramref name="bytes"/> if they fit without evicting anything.</summary>
    public bool TryReserve(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        return TryCommit(bytes, credit: 0);
    }

    /// <summary>
    /// Reserves <paramref name="bytes"/> for a new environment of <paramref name="poolKey"/>, evicting idle
    /// environments of other pools through <paramref name="evictor"/> when they do not fit.
    /// </summary>
    /// <exception cref="CapacityExceededException">The budget is held by environments that cannot be evicted.</exception>
    public async ValueTask ReserveAsync(long bytes, string poolKey, IIdleEnvironmentEvictor evictor, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        ArgumentNullException.ThrowIfNull(evictor);
        if (bytes > BudgetBytes)
        {
            throw new CapacityExceededException(
                $"Kindling cannot place a new {bytes / Mb} MB execution environment: the host's budget for execution environments is {BudgetBytes / Mb} MB.");
        }

        if (TryCommit(bytes, credit: 0))
        {
            return;
        }

        // Evicted environments' reservations are not released into the common pool but kept as this caller's
        // credit, so a concurrent cold start cannot take the room this one paid for with warm environments.
        long credit = 0;
        try
        {
            while (true)
            {
                var shortfall = Volatile.Read(ref _reserved) - credit + bytes - BudgetBytes;
                if (shortfall <= 0)
                {
                    if (TryCommit(bytes, credit))
                    {
                        credit = 0;
                        return;
                    }

                    continue;
                }

                var freed = await evictor.EvictIdleAsync(shortfall, poolKey, cancellationToken);
                if (freed > 0)
                {
                    credit += freed;
                    continue;
                }

                if (TryCommit(bytes, credit))
                {
                    credit = 0;
                    return;
                }

                throw Refusal(bytes, Volatile.Read(ref _reserved) - credit, evictor.GetEvictableBytes(poolKey));
            }
        }
        finally
        {
            if (credit > 0)
            {
                Release(credit);
            }
        }
    }

    /// <summary>Gives back a reservation (an environment has been shut down and disposed).</summary>
    public void Release(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        var after = Interlocked.Add(ref _reserved, -bytes);
        if (after < 0)
        {
            Interlocked.Add(ref _reserved, bytes);
            throw new InvalidOperationException($"Placement released {bytes} bytes more than were reserved.");
        }
    }

    private CapacityExceededException Refusal(long bytes, long held, long evictable)
    {
        var prefix = $"Kindling cannot place a new {bytes / Mb} MB execution environment: ";
        return new CapacityExceededException(evictable <= 0
            ? $"{prefix}{held / Mb} MB of {BudgetBytes / Mb} MB are held by busy and provisioned environments."
            : $"{prefix}{(held - evictable) / Mb} MB of {BudgetBytes / Mb} MB are held by busy and provisioned environments, and evicting the {evictable / Mb} MB of idle environments of other functions would not make room.");
    }

    // Atomically turns `credit` already-reserved bytes plus free room into a reservation of `bytes`.
    private bool TryCommit(long bytes, long credit)
    {
        var current = Volatile.Read(ref _reserved);
        while (true)
        {
            var next = current - credit + bytes;
            if (next > BudgetBytes)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _reserved, next, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }
    }
}
