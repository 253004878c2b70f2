namespace Kindling.Invocation.Workers;

// Stopping: every environment shut down in parallel.
public sealed partial class WorkerManager
{
    /// <summary>
    /// Stops: refuses new invocations, fails waiting ones, cancels launches, and shuts down (<c>spindown</c>)
    /// every environment in parallel: idle ones at once, busy ones when their invocation ends or, once
    /// <paramref name="cancellationToken"/> fires, at once too. Later calls wait for the first.
    /// </summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) == 1)
        {
            await _stopCompleted.Task;
            return;
        }

        try
        {
            await StopAsync(cancellationToken);
        }
        finally
        {
            _stopCompleted.TrySetResult();
        }
    }

    /// <summary>Shuts down every environment without waiting for running invocations.</summary>
    public async ValueTask DisposeAsync()
    {
        await ShutdownAsync(new CancellationToken(canceled: true));
        _stopping.Dispose();
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        List<EnvironmentSlot> idle;
        int live;
        var stopping = StoppingException();
        lock (_gate)
        {
            _stopped = true;
            live = _live.Count;
            idle = [.. _idleLru, .. _pools.Values.SelectMany(p => p.ProvisionedIdle)];
            foreach (var slot in idle)
            {
                RemoveIdleLocked(slot);
                TakeOutOfServiceLocked(slot);
            }

            foreach (var pool in _pools.Values.ToList())
            {
                pool.ProvisionedTarget = 0;
                pool.ProvisionedFunction = null;
                foreach (var waiter in pool.Waiters)
                {
                    waiter.TryFail(stopping);
                }

                pool.Waiters.Clear();
                RemoveIfEmptyLocked(pool);
            }

            if (_live.Count == 0)
            {
                _liveDrained.TrySetResult();
            }
        }

        WorkerLog.Stopping(_logger, live);
        await _stopping.CancelAsync();
        await Task.WhenAll(idle.Select(s => RetireAsync(s, Spindown)));
        try
        {
            await _liveDrained.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            List<EnvironmentSlot> busy;
            lock (_gate)
            {
                // Environments being frozen finish on their own in a fraction of a millisecond.
                busy = [.. _live.Where(s => s.State == SlotState.Busy)];
                foreach (var slot in busy)
                {
                    TakeOutOfServiceLocked(slot);
                }
            }

            WorkerLog.StopForced(_logger, busy.Count);
            await Task.WhenAll(busy.Select(s => RetireAsync(s, Spindown)));
        }

        await _background.WhenIdleAsync();
    }
}
