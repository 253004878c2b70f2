using Kindling.Invocation.Placement;

namespace Kindling.Invocation.Workers;

// Taking idle environments out of service: eviction for placement, keep-alive and lifetime reaping.
public sealed partial class WorkerManager
{
    async ValueTask<long> IIdleEnvironmentEvictor.EvictIdleAsync(long bytesWanted, string exceptPoolKey, CancellationToken cancellationToken)
    {
        List<EnvironmentSlot>? victims = null;
        long freed = 0;
        lock (_gate)
        {
            _pools.TryGetValue(exceptPoolKey, out var own);
            if (_idleBytes - (own?.IdleBytes ?? 0) < bytesWanted)
            {
                return 0;
            }

            for (var node = _idleLru.First; node is not null && freed < bytesWanted;)
            {
                var slot = node.Value;
                node = node.Next;
                if (ReferenceEquals(slot.Pool, own))
                {
                    continue;
                }

                RemoveIdleLocked(slot);
                TakeOutOfServiceLocked(slot);
                RemoveIfEmptyLocked(slot.Pool);
                (victims ??= []).Add(slot);
                freed += slot.ReservedBytes;
            }
        }

        if (victims is null)
        {
            return 0;
        }

        Interlocked.Add(ref _evictions, victims.Count);
        foreach (var victim in victims)
        {
            WorkerLog.Evicted(_logger, victim.Environment.Id, victim.Pool.Key, exceptPoolKey);
        }

        await Task.WhenAll(victims.Select(v => RetireAsync(v, Spindown, releaseReservation: false)));
        return freed;
    }

    long IIdleEnvironmentEvictor.GetEvictableBytes(string exceptPoolKey)
    {
        lock (_gate)
        {
            return _idleBytes - (_pools.TryGetValue(exceptPoolKey, out var own) ? own.IdleBytes : 0);
        }
    }

    /// <summary>
    /// Shuts down (<c>spindown</c>) idle on-demand environments unused for the keep-alive, older than the maximum
    /// lifetime or of a superseded configuration, and recycles idle provisioned ones older than the maximum lifetime
    /// (replacing them).
    /// Called on each tick of the reaper's timer.
    /// </summary>
    internal async Task ReapAsync()
    {
        List<Task>? retirements = null;
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            var now = _time.GetTimestamp();
            for (var node = _idleLru.First; node is not null;)
            {
                var slot = node.Value;
                node = node.Next;
                if (!slot.Pool.Superseded
                    && _time.GetElapsedTime(slot.IdleSince, now) < _options.KeepAlive
                    && _time.GetElapsedTime(slot.CreatedAt, now) < _options.MaxLifetime)
                {
                    continue;
                }

                RemoveIdleLocked(slot);
                RemoveIfEmptyLocked(slot.Pool);
                (retirements ??= []).Add(RetireLocked(slot, Spindown));
            }

            ReapProvisionedLocked(now, ref retirements);
            // A refilled bucket is the same as a new one: forget it, so idle functions hold no state.
            foreach (var (function, bucket) in _scaleUp)
            {
                if (bucket.IsFull(_time, now))
                {
                    _scaleUp.Remove(function);
                }
            }
        }

        if (retirements is not null)
        {
            WorkerLog.Reaped(_logger, retirements.Count);
            await Task.WhenAll(retirements);
        }
    }
}
