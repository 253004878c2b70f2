using Kindling.Invocation.Environments;

namespace Kindling.Invocation.Workers;

// The pool bookkeeping. Every method named *Locked runs under _gate.
public sealed partial class WorkerManager
{
    /// <summary>Takes an idle environment, a provisioned one first (they are kept warm for exactly this).</summary>
    private EnvironmentSlot? TakeIdleLocked(FunctionPool pool)
    {
        if ((pool.ProvisionedIdle.First ?? pool.Idle.First) is not { } node)
        {
            return null;
        }

        var slot = node.Value;
        RemoveIdleLocked(slot);
        slot.State = SlotState.Busy;
        pool.Busy++;
        return slot;
    }

    private void PushIdleLocked(EnvironmentSlot slot)
    {
        var pool = slot.Pool;
        slot.State = SlotState.Idle;
        slot.IdleSince = _time.GetTimestamp();
        if (slot.Provisioned)
        {
            // Neither reaped by the keep-alive nor evicted: kept out of the least-recently-used list and its bytes.
            pool.ProvisionedIdle.AddFirst(slot.PoolNode);
            return;
        }

        pool.Idle.AddFirst(slot.PoolNode);
        _idleLru.AddLast(slot.LruNode);
        pool.IdleBytes += slot.ReservedBytes;
        _idleBytes += slot.ReservedBytes;
    }

    private void RemoveIdleLocked(EnvironmentSlot slot)
    {
        var pool = slot.Pool;
        if (slot.Provisioned)
        {
            pool.ProvisionedIdle.Remove(slot.PoolNode);
            return;
        }

        pool.Idle.Remove(slot.PoolNode);
        _idleLru.Remove(slot.LruNode);
        pool.IdleBytes -= slot.ReservedBytes;
        _idleBytes -= slot.ReservedBytes;
    }

    /// <summary>
    /// A busy or new environment is free: give it to the oldest waiting invocation, else start freezing it.
    /// Returns true when the caller must freeze it (<see cref="FreezeAndParkAsync"/>).
    /// </summary>
    private bool ParkLocked(EnvironmentSlot slot, bool afterInvocation)
    {
        if (TryHandOffLocked(slot))
        {
            if (afterInvocation)
            {
                // Reused with no freeze and thaw (0.25 + 0.15 ms measured) between the two invocations.
                _handOffs++;
            }

            return false;
        }

        slot.State = SlotState.Freezing;
        slot.Pool.Freezing++;
        return true;
    }

    private bool TryHandOffLocked(EnvironmentSlot slot)
    {
        var pool = slot.Pool;
        while (pool.Waiters.First is { } node)
        {
            pool.Waiters.RemoveFirst();
            if (node.Value.TryServe(slot))
            {
                slot.State = SlotState.Busy;
                pool.Busy++;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Launches as many environments as there are waiting invocations not already covered by a launch or by an
    /// environment being frozen (which will be handed over): never more environments than concurrent invocations.
    /// </summary>
    private static int CoverWaitersLocked(FunctionPool pool)
    {
        var launches = 0;
        while (pool.Starting + pool.Freezing < pool.Waiters.Count)
        {
            pool.Starting++;
            launches++;
        }

        return launches;
    }

    private void TakeOutOfServiceLocked(EnvironmentSlot slot)
    {
        slot.State = SlotState.Retired;
        _live.Remove(slot);
        if (slot.Provisioned)
        {
            slot.Pool.ProvisionedLive--;
        }

        if (_stopped && _live.Count == 0)
        {
            _liveDrained.TrySetResult();
        }
    }

    private void RemoveIfEmptyLocked(FunctionPool pool)
    {
        if (pool.IsEmpty && _pools.TryGetValue(pool.Key, out var current) && ReferenceEquals(current, pool))
        {
            _pools.Remove(pool.Key);
        }
    }

    private void StartColdStartsLocked(FunctionPool pool, FunctionSpec function, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _background.Run(static s => s.Manager.ColdStartAsync(s.Pool, s.Function), (Manager: this, Pool: pool, Function: function));
        }
    }

    /// <summary>Takes an environment out of service and starts its shutdown (tracked before the lock is let go).</summary>
    private Task RetireLocked(EnvironmentSlot slot, string reason)
    {
        // Counted before the slot leaves the live set: a stop that sees the last one go waits for its shutdown.
        _background.Register(1);
        TakeOutOfServiceLocked(slot);
        return _background.Start(static s => s.Manager.RetireAsync(s.Slot, s.Reason), (Manager: this, Slot: slot, Reason: reason), inline: false);
    }
}
