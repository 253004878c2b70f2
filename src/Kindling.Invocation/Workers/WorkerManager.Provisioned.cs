using System.Runtime.InteropServices;
using Kindling.Invocation.Environments;

namespace Kindling.Invocation.Workers;

// Provisioned concurrency: environments launched ahead of traffic, kept at a target count per pool key.
public sealed partial class WorkerManager
{
    /// <summary>The <c>StatusReason</c> Lambda reports when a provisioned environment's Init fails.</summary>
    public const string InitFailureReason = "FUNCTION_ERROR_INIT_FAILURE";

    private long _provisionedLaunches;

    /// <summary>Provisioned environments launched since start (not cold starts: no invocation waited for them).</summary>
    public long ProvisionedLaunches => Interlocked.Read(ref _provisionedLaunches);

    /// <summary>
    /// Keeps <paramref name="environments"/> provisioned environments of <paramref name="function"/>'s pool key:
    /// launches the missing ones (<c>provisioned-concurrency</c> initialization, Init run at once, then frozen idle)
    /// and retires the surplus (<c>spindown</c>): idle ones at once, busy ones when their invocation ends.
    /// Provisioned environments are taken before on-demand ones, never reaped by the keep-alive nor evicted for
    /// another function, and replaced when they fail or reach the maximum lifetime. Their launches do not use
    /// the function's on-demand scaling rate (Lambda allocates provisioned concurrency separately). A launch that
    /// fails is not retried here: calling this again (the reconciler does, periodically) launches what is missing.
    /// 0 releases them all. Ignored once the manager is stopping.
    /// </summary>
    public void SetProvisionedConcurrency(FunctionSpec function, int environments)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentOutOfRangeException.ThrowIfNegative(environments);
        lock (_gate)
        {
            if (_stopped || (environments == 0 && !_pools.ContainsKey(function.PoolKey)))
            {
                return;
            }

            ref var pool = ref CollectionsMarshal.GetValueRefOrAddDefault(_pools, function.PoolKey, out _);
            pool ??= new FunctionPool(function.PoolKey);
            pool.ProvisionedTarget = environments;
            pool.ProvisionedFunction = environments > 0 ? function : null;
            if (environments == 0)
            {
                pool.ProvisionedFailure = null;
            }

            // The least recently used idle ones go first; launches under way retire themselves if still surplus.
            while (pool.ProvisionedLive > environments && pool.ProvisionedIdle.Last is { } node)
            {
                RemoveIdleLocked(node.Value);
                RetireLocked(node.Value, Spindown);
            }

            ReplenishLocked(pool);
            RemoveIfEmptyLocked(pool);
        }
    }

    /// <summary>The provisioned concurrency of one pool key now (all zero for a key with none).</summary>
    public ProvisionedCounts GetProvisionedCounts(string poolKey)
    {
        ArgumentNullException.ThrowIfNull(poolKey);
        lock (_gate)
        {
            if (!_pools.TryGetValue(poolKey, out var pool))
            {
                return default;
            }

            var allocated = Math.Min(pool.ProvisionedLive, pool.ProvisionedTarget);
            return new ProvisionedCounts(pool.ProvisionedTarget, allocated, allocated, pool.ProvisionedStarting, pool.ProvisionedFailure);
        }
    }

    /// <summary>Launches the provisioned environments a pool lacks (none while stopping).</summary>
    private void ReplenishLocked(FunctionPool pool)
    {
        if (_stopped || pool.ProvisionedFunction is not { } function)
        {
            return;
        }

        for (var missing = pool.ProvisionedTarget - pool.ProvisionedLive - pool.ProvisionedStarting; missing > 0; missing--)
        {
            pool.ProvisionedStarting++;
            _background.Run(static s => s.Manager.ProvisionAsync(s.Pool, s.Function), (Manager: this, Pool: pool, Function: function));
        }
    }

    /// <summary>A provisioned environment beyond its pool's target (lowered meanwhile): it is retired, not kept.</summary>
    private static bool IsSurplusLocked(EnvironmentSlot slot) =>
        slot.Provisioned && slot.Pool.ProvisionedLive > slot.Pool.ProvisionedTarget;

    private async Task ProvisionAsync(FunctionPool pool, FunctionSpec function)
    {
        var bytes = function.MemorySizeMb * Mb;
        IExecutionEnvironment environment;
        try
        {
            environment = await LaunchAsync(pool, function, InitializationType.ProvisionedConcurrency);
        }
        catch (Exception ex)
        {
            string? reason = null;
            if (!_stoppingToken.IsCancellationRequested)
            {
                WorkerLog.ProvisionFailed(_logger, pool.Key, ex.Message);
                reason = ex.Message;
            }

            EndProvisioning(pool, reason);
            return;
        }

        Interlocked.Increment(ref _provisionedLaunches);
        var slot = new EnvironmentSlot(environment, pool, bytes, _time.GetTimestamp(), provisioned: true);
        if (!environment.IsReusable || !environment.IsInitialized)
        {
            // Its Init failed (the environment would only answer its first invocation with the error) or timed out
            // (it would run Init again at its first invocation): not ready ahead of traffic, so not counted.
            WorkerLog.ProvisionFailed(_logger, pool.Key, InitFailureReason);
            EndProvisioning(pool, InitFailureReason);
            await RetireAsync(slot, Failure);
            return;
        }

        string? retire = null;
        var freeze = false;
        lock (_gate)
        {
            pool.ProvisionedStarting--;
            _live.Add(slot);
            pool.ProvisionedLive++;
            if (_stopped || IsSurplusLocked(slot))
            {
                retire = Spindown;
                TakeOutOfServiceLocked(slot);
            }
            else
            {
                if (pool.ProvisionedLive >= pool.ProvisionedTarget)
                {
                    pool.ProvisionedFailure = null;
                }

                // A waiting invocation takes it at once; otherwise it is frozen idle until traffic comes.
                freeze = ParkLocked(slot, afterInvocation: false);
            }

            RemoveIfEmptyLocked(pool);
        }

        if (retire is not null)
        {
            await RetireAsync(slot, retire);
        }
        else if (freeze)
        {
            await FreezeAndParkAsync(slot);
        }
    }

    private void EndProvisioning(FunctionPool pool, string? failure)
    {
        lock (_gate)
        {
            pool.ProvisionedStarting--;
            if (failure is not null && pool.ProvisionedTarget > 0)
            {
                pool.ProvisionedFailure = failure;
            }

            RemoveIfEmptyLocked(pool);
        }
    }

    /// <summary>Recycles idle provisioned environments past the maximum lifetime, launching their replacements.</summary>
    private void ReapProvisionedLocked(long now, ref List<Task>? retirements)
    {
        foreach (var pool in _pools.Values)
        {
            var recycled = false;
            for (var node = pool.ProvisionedIdle.First; node is not null;)
            {
                var slot = node.Value;
                node = node.Next;
                if (_time.GetElapsedTime(slot.CreatedAt, now) < _options.MaxLifetime)
                {
                    continue;
                }

                RemoveIdleLocked(slot);
                (retirements ??= []).Add(RetireLocked(slot, Spindown));
                recycled = true;
            }

            if (recycled)
            {
                ReplenishLocked(pool);
            }
        }
    }
}
