using Kindling.Invocation.Environments;

namespace Kindling.Invocation.Workers;

// Launching, freezing and shutting down environments: the work done outside the lock.
public sealed partial class WorkerManager
{
    private async Task ColdStartAsync(FunctionPool pool, FunctionSpec function)
    {
        var bytes = function.MemorySizeMb * Mb;
        var started = _time.GetTimestamp();
        IExecutionEnvironment environment;
        try
        {
            environment = await LaunchAsync(pool, function, InitializationType.OnDemand);
        }
        catch (Exception ex)
        {
            if (_stoppingToken.IsCancellationRequested)
            {
                ex = StoppingException();
            }
            else if (ex is CapacityExceededException)
            {
                WorkerLog.PlacementRefused(_logger, pool.Key, ex.Message);
            }
            else
            {
                WorkerLog.LaunchFailed(_logger, pool.Key, ex);
            }

            FailColdStart(pool, ex);
            return;
        }

        Interlocked.Increment(ref _coldStarts);
        WorkerLog.ColdStarted(_logger, environment.Id, pool.Key, _time.GetElapsedTime(started).TotalMilliseconds);
        var slot = new EnvironmentSlot(environment, pool, bytes, _time.GetTimestamp());
        bool retire;
        var freeze = false;
        lock (_gate)
        {
            pool.Starting--;
            _live.Add(slot);
            SupersedeOthersLocked(pool, function);
            retire = _stopped;
            if (retire)
            {
                TakeOutOfServiceLocked(slot);
            }
            else
            {
                freeze = ParkLocked(slot, afterInvocation: false);
            }

            RemoveIfEmptyLocked(pool);
        }

        if (retire)
        {
            await RetireAsync(slot, Spindown);
        }
        else if (freeze)
        {
            await FreezeAndParkAsync(slot);
        }
    }

    /// <summary>Reserves the function's memory in placement and creates an environment on it (given back on failure).</summary>
    private async Task<IExecutionEnvironment> LaunchAsync(FunctionPool pool, FunctionSpec function, InitializationType initialization)
    {
        var bytes = function.MemorySizeMb * Mb;
        _stoppingToken.ThrowIfCancellationRequested();
        await _placement.ReserveAsync(bytes, pool.Key, this, _stoppingToken);
        try
        {
            return await _factory.CreateAsync(function, initialization, _stoppingToken);
        }
        catch
        {
            _placement.Release(bytes);
            throw;
        }
    }

    /// <summary>
    /// Marks the other configurations of this function version superseded: after a configuration change their idle
    /// environments would hold memory until the keep-alive ends (and a full budget would make every cold start wait
    /// for an eviction). The pool that cold-started last is the current one. Only when a pool becomes current does
    /// this walk the pools: a current pool's later cold starts (a burst) find the others marked already.
    /// </summary>
    private void SupersedeOthersLocked(FunctionPool pool, FunctionSpec function)
    {
        if (pool.Lineage is not null && !pool.Superseded)
        {
            return;
        }

        pool.Superseded = false;
        pool.Lineage ??= string.Concat(function.FunctionName, ":", function.Version);
        foreach (var other in _pools.Values)
        {
            if (!ReferenceEquals(other, pool) && string.Equals(other.Lineage, pool.Lineage, StringComparison.Ordinal))
            {
                other.Superseded = true;
            }
        }
    }

    private void FailColdStart(FunctionPool pool, Exception exception)
    {
        lock (_gate)
        {
            pool.Starting--;
            // The failure goes to the invocation that has waited longest, unless an environment released
            // meanwhile has already served one waiter and every remaining one is still covered.
            if (pool.Starting + pool.Freezing < pool.Waiters.Count && pool.Waiters.First is { } node)
            {
                pool.Waiters.RemoveFirst();
                node.Value.TryFail(exception);
            }

            RemoveIfEmptyLocked(pool);
        }
    }

    private async Task FreezeAndParkAsync(EnvironmentSlot slot)
    {
        long parking;
        lock (_gate)
        {
            // An invocation that arrived since the release (this runs a thread-pool hop later) takes the
            // environment as it is: no freeze now and no thaw before its invocation.
            if (slot.State == SlotState.Freezing && !_stopped && TryHandOffLocked(slot))
            {
                slot.Pool.Freezing--;
                _handOffs++;
                return;
            }

            if (_options.HotWindow <= TimeSpan.Zero || slot.State != SlotState.Freezing || _stopped || IsSurplusLocked(slot))
            {
                parking = -1;
            }
            else
            {
                // Parked thawed for the hot window: the next invocation takes it with no thaw.
                slot.Pool.Freezing--;
                PushIdleLocked(slot);
                parking = ++slot.HotParkings;
            }
        }

        if (parking >= 0)
        {
            await FreezeWhenColdAsync(slot, parking);
            return;
        }

        await FreezeNowAndParkAsync(slot);
    }

    // Freezes a thawed idle environment once the hot window has passed, unless it has been taken meanwhile.
    private async Task FreezeWhenColdAsync(EnvironmentSlot slot, long parking)
    {
        try
        {
            await Task.Delay(_options.HotWindow, _time, _stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the shutdown takes idle environments as they are.
            return;
        }

        lock (_gate)
        {
            if (slot.State != SlotState.Idle || slot.HotParkings != parking || _stopped)
            {
                return;
            }

            RemoveIdleLocked(slot);
            slot.State = SlotState.Freezing;
            slot.Pool.Freezing++;
        }

        await FreezeNowAndParkAsync(slot);
    }

    private async Task FreezeNowAndParkAsync(EnvironmentSlot slot)
    {

        Exception? failure = null;
        try
        {
            // Not cancellable: 0.25 ms, and the environment's state must be known afterwards.
            await slot.Environment.FreezeAsync(CancellationToken.None);
            slot.Frozen = true;
        }
        catch (Exception ex)
        {
            failure = ex;
            WorkerLog.FreezeFailed(_logger, slot.Environment.Id, ex);
        }

        string? reason = null;
        lock (_gate)
        {
            var pool = slot.Pool;
            pool.Freezing--;
            if (slot.State == SlotState.Retired)
            {
                // Taken at a forced stop; its shutdown is under way already.
            }
            else if (failure is not null || _stopped || IsSurplusLocked(slot))
            {
                reason = failure is null ? Spindown : Failure;
                TakeOutOfServiceLocked(slot);
                // A waiter counted on this environment: launch one for it instead.
                if (!_stopped && pool.Waiters.Last is { } last)
                {
                    StartColdStartsLocked(pool, last.Value.Function, CoverWaitersLocked(pool));
                }

                ReplenishLocked(pool);
            }
            else if (!TryHandOffLocked(slot))
            {
                PushIdleLocked(slot);
            }

            RemoveIfEmptyLocked(pool);
        }

        if (reason is not null)
        {
            await RetireAsync(slot, reason);
        }
    }

    /// <summary>Shuts an environment down and disposes it, then gives back its memory (unless an eviction takes it over).</summary>
    private async Task RetireAsync(EnvironmentSlot slot, string reason, bool releaseReservation = true)
    {
        var environment = slot.Environment;
        try
        {
            if (slot.Frozen)
            {
                // A frozen environment cannot run its Shutdown phase (SHUTDOWN to extensions, SIGTERM handlers).
                try
                {
                    await environment.ThawAsync(CancellationToken.None);
                    slot.Frozen = false;
                }
                catch (Exception ex)
                {
                    WorkerLog.ThawFailed(_logger, environment.Id, ex);
                }
            }

            await environment.ShutdownAsync(reason, CancellationToken.None);
            WorkerLog.Retired(_logger, environment.Id, slot.Pool.Key, reason);
        }
        catch (Exception ex)
        {
            WorkerLog.RetireFailed(_logger, environment.Id, reason, ex);
        }
        finally
        {
            try
            {
                await environment.DisposeAsync();
            }
            catch (Exception ex)
            {
                WorkerLog.RetireFailed(_logger, environment.Id, reason, ex);
            }

            if (releaseReservation)
            {
                _placement.Release(slot.ReservedBytes);
            }
        }
    }
}
