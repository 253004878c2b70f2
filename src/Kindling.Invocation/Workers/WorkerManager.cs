using System.Runtime.InteropServices;
using Kindling.Invocation.Environments;
using Kindling.Invocation.Placement;
using Microsoft.Extensions.Logging;

namespace Kindling.Invocation.Workers;

/// <summary>
/// Runs invocations on pooled execution environments, one invocation at a time per environment. Per pool key
/// it keeps an idle stack, most recently used first, so load concentrates on the fewest environments; idle
/// environments are frozen and thawed on use. With no idle environment an invocation waits for whichever
/// comes first, a cold start launched for it or an environment released meanwhile (handed over directly,
/// without a freeze/thaw cycle), so N concurrent invocations never launch more than N environments.
/// Environments that are no longer reusable are shut down (<c>failure</c>); idle ones past the keep-alive and
/// any past the maximum lifetime are shut down (<c>spindown</c>) by <see cref="ReapAsync"/>, which a hosted
/// service calls on one periodic timer. Each function adds at most <see cref="WorkerManagerOptions.ScaleUpLimit"/>
/// on-demand environments per 10 seconds. Provisioned environments (<see cref="SetProvisionedConcurrency"/>)
/// are kept at a target count per pool key, taken first, and never reaped by the keep-alive nor evicted.
/// </summary>
/// <remarks>
/// One lock guards the pools and the least-recently-used list: every critical section is a few list
/// operations, and a single lock keeps eviction order and placement accounting exact. Launches, freezes and
/// shutdowns run outside it.
/// </remarks>
public sealed partial class WorkerManager : IWorkerManager, IIdleEnvironmentEvictor, IAsyncDisposable
{
    internal const string Spindown = "spindown";
    internal const string Failure = "failure";
    private const long Mb = 1024 * 1024;

    private readonly IEnvironmentFactory _factory;
    private readonly MemoryPlacement _placement;
    private readonly WorkerManagerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FunctionPool> _pools = new(StringComparer.Ordinal);
    private readonly LinkedList<EnvironmentSlot> _idleLru = new();
    private readonly HashSet<EnvironmentSlot> _live = [];
    private readonly Dictionary<string, ScaleUpBucket> _scaleUp = new(StringComparer.Ordinal);
    private readonly BackgroundWork _background = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private readonly TaskCompletionSource _liveDrained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopCompleted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopRequested;
    private bool _stopped;
    private long _idleBytes;
    private long _coldStarts;
    private long _evictions;
    private long _handOffs;

    internal WorkerManager(
        IEnvironmentFactory factory, MemoryPlacement placement, WorkerManagerOptions options, TimeProvider time, ILogger<WorkerManager> logger)
    {
        _factory = factory;
        _placement = placement;
        _options = options;
        _time = time;
        _logger = logger;
        _stoppingToken = _stopping.Token;
        WorkerLog.Started(logger, placement.BudgetBytes / Mb, options.KeepAlive, options.MaxLifetime);
    }

    /// <summary>Memory the environments may hold in total (the host's memory minus the reserve).</summary>
    public long MemoryBudgetBytes => _placement.BudgetBytes;

    /// <summary>Memory held now by starting, busy and idle environments.</summary>
    public long ReservedBytes => _placement.ReservedBytes;

    /// <summary>On-demand environments launched since start (cold starts).</summary>
    public long ColdStarts => Interlocked.Read(ref _coldStarts);

    /// <summary>Idle environments shut down to make room for another function's environment.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Environments handed from a finished invocation straight to a waiting one, with no freeze and thaw between.</summary>
    public long HandOffs => Interlocked.Read(ref _handOffs);

    /// <summary>Environments alive now (busy, freezing or idle; not those being launched or shut down).</summary>
    public int EnvironmentCount
    {
        get
        {
            lock (_gate)
            {
                return _live.Count;
            }
        }
    }

    /// <summary>The environments of one pool key now (all zero for a key with none).</summary>
    public WorkerPoolCounts GetCounts(string poolKey)
    {
        ArgumentNullException.ThrowIfNull(poolKey);
        lock (_gate)
        {
            return _pools.TryGetValue(poolKey, out var pool) ? pool.Counts : default;
        }
    }

    /// <summary>The environments of every pool key that has any.</summary>
    public IReadOnlyDictionary<string, WorkerPoolCounts> GetAllCounts()
    {
        lock (_gate)
        {
            return _pools.ToDictionary(p => p.Key, p => p.Value.Counts, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Runs one invocation on an environment of <paramref name="function"/>'s pool. The token stops the caller
    /// waiting; an invocation that has reached its environment still runs to completion there (bounded by the
    /// function's timeout), as in Lambda when a client goes away, and its environment is then released.
    /// </summary>
    /// <exception cref="CapacityExceededException">No environment can be placed, or the manager is stopping.</exception>
    /// <exception cref="ScalingRateExceededException">A new environment is needed and the function's scaling rate is used up.</exception>
    /// <exception cref="EnvironmentLaunchException">The environment's sandbox could not start.</exception>
    public Task<InvocationResult> InvokeAsync(FunctionSpec function, InvocationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(request);
        var invocation = RunAsync(function, request, cancellationToken);
        return cancellationToken.CanBeCanceled ? invocation.WaitAsync(cancellationToken) : invocation;
    }

    private async Task<InvocationResult> RunAsync(FunctionSpec function, InvocationRequest request, CancellationToken cancellationToken)
    {
        var slot = await AcquireAsync(function, cancellationToken);
        InvocationResult result;
        try
        {
            result = await slot.Environment.InvokeAsync(request, CancellationToken.None);
        }
        catch (Exception ex)
        {
            WorkerLog.InvokeFailed(_logger, slot.Environment.Id, ex);
            Release(slot, reusable: false);
            throw;
        }

        Release(slot, slot.Environment.IsReusable);
        return result;
    }

    private async ValueTask<EnvironmentSlot> AcquireAsync(FunctionSpec function, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            EnvironmentSlot? slot;
            EnvironmentWaiter? waiter = null;
            var launches = 0;
            lock (_gate)
            {
                if (_stopped)
                {
                    throw StoppingException();
                }

                ref var pool = ref CollectionsMarshal.GetValueRefOrAddDefault(_pools, function.PoolKey, out _);
                pool ??= new FunctionPool(function.PoolKey);
                slot = TakeIdleLocked(pool);
                if (slot is null)
                {
                    // Launches and freezes under way that no waiter has claimed serve this invocation without a new
                    // environment; otherwise it needs one, within the function's scaling rate.
                    if (pool.Starting + pool.Freezing <= pool.Waiters.Count && !TryScaleUpLocked(function.FunctionName))
                    {
                        WorkerLog.ScalingRateExceeded(_logger, pool.Key, function.FunctionName);
                        RemoveIfEmptyLocked(pool);
                        throw new ScalingRateExceededException(function.FunctionName, _options.ScaleUpLimit);
                    }

                    waiter = new EnvironmentWaiter(function, pool);
                    pool.Waiters.AddLast(waiter.Node);
                    launches = CoverWaitersLocked(pool);
                    _background.Register(launches);
                }
            }

            if (waiter is not null)
            {
                // Out of the lock, the first on this thread: the cold start this invocation waits for runs here up to its
                // runtime's start (no hop to the thread pool, ~0.1 ms on 2 busy CPUs); any others as background work.
                for (var i = 0; i < launches; i++)
                {
                    _ = _background.Start(static s => s.Manager.ColdStartAsync(s.Pool, s.Function), (Manager: this, waiter.Pool, waiter.Function), inline: i == 0);
                }

                slot = await WaitAsync(waiter, cancellationToken);
            }

            if (!slot!.Frozen)
            {
                return slot;
            }

            try
            {
                // Not cancellable: 0.15 ms, and a half-thawed environment would be of no use to anyone.
                await slot.Environment.ThawAsync(CancellationToken.None);
                slot.Frozen = false;
                return slot;
            }
            catch (Exception ex)
            {
                WorkerLog.ThawFailed(_logger, slot.Environment.Id, ex);
                Release(slot, reusable: false);
            }
        }
    }

    private async ValueTask<EnvironmentSlot> WaitAsync(EnvironmentWaiter waiter, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return await waiter.Task;
        }

        using var registration = cancellationToken.Register(() => CancelWaiter(waiter, cancellationToken));
        return await waiter.Task;
    }

    private void CancelWaiter(EnvironmentWaiter waiter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Detached already: served (the caller gets the environment) or failed.
            if (waiter.Node.List is null)
            {
                return;
            }

            waiter.Pool.Waiters.Remove(waiter.Node);
            waiter.TryCancel(cancellationToken);
            RemoveIfEmptyLocked(waiter.Pool);
        }
    }

    /// <summary>Ends an invocation's hold on its environment: hand it on, park it, or shut it down.</summary>
    private void Release(EnvironmentSlot slot, bool reusable)
    {
        lock (_gate)
        {
            var pool = slot.Pool;
            pool.Busy--;
            if (slot.State != SlotState.Retired)
            {
                if (!reusable)
                {
                    RetireLocked(slot, Failure);
                }
                else if (_stopped || IsSurplusLocked(slot) || _time.GetElapsedTime(slot.CreatedAt) >= _options.MaxLifetime)
                {
                    RetireLocked(slot, Spindown);
                }
                else if (ParkLocked(slot, afterInvocation: true))
                {
                    _background.Run(static s => s.Manager.FreezeAndParkAsync(s.Slot), (Manager: this, Slot: slot));
                }

                if (slot.Provisioned)
                {
                    // A failed or recycled provisioned environment is replaced, keeping the count.
                    ReplenishLocked(pool);
                }
            }

            RemoveIfEmptyLocked(pool);
        }
    }

    private bool TryScaleUpLocked(string functionName)
    {
        var now = _time.GetTimestamp();
        ref var bucket = ref CollectionsMarshal.GetValueRefOrAddDefault(_scaleUp, functionName, out _);
        bucket ??= new ScaleUpBucket(_options.ScaleUpLimit, now);
        return bucket.TryTake(_time, now);
    }

    private static CapacityExceededException StoppingException() =>
        new("Kindling is shutting down and accepts no new invocations.");
}
