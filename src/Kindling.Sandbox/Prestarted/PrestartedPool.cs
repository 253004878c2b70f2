using Kindling.Sandbox.Bubblewrap;
using Microsoft.Extensions.Logging;

namespace Kindling.Sandbox.Prestarted;

/// <summary>
/// Sandboxes started ahead of need, per shape, for the shapes launched most recently: bubblewrap, namespaces,
/// control groups, /tmp, the Runtime API listener and a shell waiting for its command, but no function. A launch
/// of a stocked shape takes one (and asks for a replacement) instead of paying for all that. One launch at a time
/// refills the stock, so a burst of cold starts is not doubled by refills. A pre-started sandbox serves one spec
/// and is never handed out again.
/// </summary>
internal sealed class PrestartedPool : IAsyncDisposable
{
    private static readonly TimeSpan s_failureBackoff = TimeSpan.FromSeconds(5);

    /// <summary>How long a waiting process may take to load what it loads ahead before the sandbox is given up.</summary>
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long after the last take a refill waits: the specialized sandbox's runtime is starting then, and a
    /// launch beside it on a small machine would slow that cold start down by as much as it saves.
    /// </summary>
    private static readonly TimeSpan s_quietPeriod = TimeSpan.FromMilliseconds(20);

    private readonly int _perShape;
    private readonly int _maxShapes;
    private readonly Func<PrestartedShape, CancellationToken, Task<BubblewrapSandbox>> _launch;
    private readonly Func<bool> _busy;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<PrestartedShape, Queue<BubblewrapSandbox>> _ready = [];

    /// <summary>The shapes asked for, most recent first; only these are stocked.</summary>
    private readonly LinkedList<PrestartedShape> _recent = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _refiller;
    private long _hits;
    private long _misses;
    private long _lastTake;

    public PrestartedPool(
        int perShape, int maxShapes, Func<PrestartedShape, CancellationToken, Task<BubblewrapSandbox>> launch, Func<bool> busy, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perShape);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxShapes);
        ArgumentNullException.ThrowIfNull(busy);
        _perShape = perShape;
        _maxShapes = maxShapes;
        _launch = launch;
        _busy = busy;
        _logger = logger;
        _refiller = Task.Run(() => RefillAsync(_stopping.Token));
    }

    /// <summary>Launches served by a pre-started sandbox so far.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Launches of a poolable shape that found none ready.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Ready sandboxes of <paramref name="shape"/> now.</summary>
    public int ReadyCount(PrestartedShape shape)
    {
        lock (_lock)
        {
            return _ready.TryGetValue(shape, out var queue) ? queue.Count : 0;
        }
    }

    /// <summary>
    /// A ready sandbox of <paramref name="shape"/>, or null; either way the shape becomes the most recent and its stock
    /// is topped up in the background.
    /// </summary>
    public BubblewrapSandbox? TryTake(PrestartedShape shape)
    {
        BubblewrapSandbox? taken = null;
        List<BubblewrapSandbox>? dropped = null;
        lock (_lock)
        {
            var node = _recent.Find(shape);
            if (node is not null)
            {
                _recent.Remove(node);
            }

            _recent.AddFirst(shape);
            while (_recent.Count > _maxShapes && _recent.Last is { } oldest)
            {
                _recent.RemoveLast();
                if (_ready.Remove(oldest.Value, out var queue))
                {
                    (dropped ??= []).AddRange(queue);
                }
            }

            if (_ready.TryGetValue(shape, out var ready))
            {
                while (taken is null && ready.TryDequeue(out var candidate))
                {
                    if (candidate.Exited.IsCompleted)
                    {
                        (dropped ??= []).Add(candidate);
                    }
                    else
                    {
                        taken = candidate;
                    }
                }
            }
        }

        Interlocked.Increment(ref taken is null ? ref _misses : ref _hits);
        Volatile.Write(ref _lastTake, Environment.TickCount64);
        if (dropped is not null)
        {
            _ = Task.Run(() => DisposeAllAsync(dropped));
        }

        _wake.Release();
        return taken;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _refiller;
        List<BubblewrapSandbox> all;
        lock (_lock)
        {
            all = _ready.Values.SelectMany(q => q).ToList();
            _ready.Clear();
        }

        await DisposeAllAsync(all);
        _stopping.Dispose();
        _wake.Dispose();
    }

    private async Task RefillAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await _wake.WaitAsync(cancellationToken);
                while (NextShapeToStock() is { } shape)
                {
                    var quiet = Volatile.Read(ref _lastTake) + (long)s_quietPeriod.TotalMilliseconds - Environment.TickCount64;
                    if (quiet > 0 || _busy())
                    {
                        // Also while sandboxes are being launched for cold starts that found no stock (a burst has
                        // every CPU busy with them, and a refill would only slow them down).
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(quiet, (long)s_quietPeriod.TotalMilliseconds)), cancellationToken);
                        continue;
                    }

                    BubblewrapSandbox sandbox;
                    try
                    {
                        sandbox = await _launch(shape, cancellationToken);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        SandboxLog.PrestartFailed(_logger, exception);
                        await Task.Delay(s_failureBackoff, cancellationToken);
                        break;
                    }

                    // Stocked once its waiting process waits: a sandbox taken while its runtime still loads would make
                    // that cold start wait for the rest, at the waiting sandbox's low CPU weight.
                    if (!await WaitUntilWaitingAsync(sandbox, cancellationToken))
                    {
                        SandboxLog.PrestartFailed(_logger, new TimeoutException($"Pre-started sandbox {sandbox.Id} did not wait for its function within {s_readyTimeout}."));
                        await sandbox.DisposeAsync();
                        await Task.Delay(s_failureBackoff, cancellationToken);
                        break;
                    }

                    var keep = false;
                    lock (_lock)
                    {
                        if (_recent.Contains(shape) && !cancellationToken.IsCancellationRequested)
                        {
                            if (!_ready.TryGetValue(shape, out var queue))
                            {
                                _ready[shape] = queue = new Queue<BubblewrapSandbox>();
                            }

                            queue.Enqueue(sandbox);
                            keep = true;
                        }
                    }

                    if (!keep)
                    {
                        await sandbox.DisposeAsync();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private static async Task<bool> WaitUntilWaitingAsync(BubblewrapSandbox sandbox, CancellationToken cancellationToken)
    {
        var deadline = Environment.TickCount64 + (long)s_readyTimeout.TotalMilliseconds;
        while (!sandbox.IsWaiting())
        {
            if (sandbox.Exited.IsCompleted || Environment.TickCount64 > deadline)
            {
                return false;
            }

            await Task.Delay(5, cancellationToken);
        }

        return true;
    }

    /// <summary>The most recent shape short of its stock, if any.</summary>
    private PrestartedShape? NextShapeToStock()
    {
        lock (_lock)
        {
            foreach (var shape in _recent)
            {
                if (!_ready.TryGetValue(shape, out var queue) || queue.Count < _perShape)
                {
                    return shape;
                }
            }

            return null;
        }
    }

    private static async Task DisposeAllAsync(IEnumerable<BubblewrapSandbox> sandboxes) =>
        await Task.WhenAll(sandboxes.Select(s => s.DisposeAsync().AsTask()));
}
