using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Kindling.Sandbox.Storage;

/// <summary>
/// Keeps a few ready /tmp volumes per size so that a launch takes one instead of making one: an ext4 volume
/// costs 4–15 ms (loop device set-up and mount, more under load), next to ≈ 6 ms for the rest of a launch. One
/// background loop tops each size's stock back up after every take; a launch that finds none makes its own.
/// Sizes are stocked once first asked for (or listed at start: Lambda's default is 512 MB).
/// </summary>
internal sealed class PooledTmpVolumeProvider : ITmpVolumeProvider, IAsyncDisposable
{
    private readonly ITmpVolumeProvider _inner;
    private readonly int _target;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, ConcurrentQueue<ITmpVolume>> _ready = new();
    private readonly Channel<long> _refills = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _refiller;
    private long _created;
    private int _disposed;

    /// <param name="inner">Makes the volumes.</param>
    /// <param name="target">Ready volumes to keep per size.</param>
    /// <param name="prewarmSizes">Sizes to stock at once.</param>
    /// <param name="logger">For refill failures.</param>
    public PooledTmpVolumeProvider(ITmpVolumeProvider inner, int target, IEnumerable<long> prewarmSizes, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(target);
        ArgumentNullException.ThrowIfNull(prewarmSizes);
        _inner = inner;
        _target = target;
        _logger = logger;
        foreach (var size in prewarmSizes)
        {
            RequestRefill(size);
        }

        _refiller = Task.Run(RefillAsync);
    }

    /// <summary>Ready volumes of <paramref name="sizeBytes"/>, for tests.</summary>
    public int ReadyCount(long sizeBytes) => _ready.TryGetValue(sizeBytes, out var queue) ? queue.Count : 0;

    /// <inheritdoc />
    public long MemoryLimitSurcharge(long sizeBytes) => _inner.MemoryLimitSurcharge(sizeBytes);

    /// <inheritdoc />
    public void RemoveLeftovers() => _inner.RemoveLeftovers();

    /// <inheritdoc />
    public ValueTask<ITmpVolume> CreateAsync(string id, long sizeBytes, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        // Take first, then ask for the refill: asked first, the refiller could look at the stock before the take,
        // find it full and leave it one short for good.
        var taken = _ready.GetOrAdd(sizeBytes, _ => new()).TryDequeue(out var volume);
        RequestRefill(sizeBytes);
        return taken ? ValueTask.FromResult(volume!) : _inner.CreateAsync(id, sizeBytes, cancellationToken);
    }

    /// <summary>Stops refilling, waits for a volume being made, and releases every ready volume.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _refills.Writer.TryComplete();
        await _stopping.CancelAsync();
        try
        {
            await _refiller;
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var queue in _ready.Values)
        {
            while (queue.TryDequeue(out var volume))
            {
                Release(volume);
            }
        }

        _stopping.Dispose();
        (_inner as IDisposable)?.Dispose();
    }

    private void RequestRefill(long sizeBytes)
    {
        _ready.GetOrAdd(sizeBytes, _ => new());
        _refills.Writer.TryWrite(sizeBytes);
    }

    private async Task RefillAsync()
    {
        await foreach (var size in _refills.Reader.ReadAllAsync(_stopping.Token))
        {
            var queue = _ready[size];
            while (queue.Count < _target && !_stopping.IsCancellationRequested)
            {
                try
                {
                    var name = "pool-" + Interlocked.Increment(ref _created).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    queue.Enqueue(await _inner.CreateAsync(name, size, _stopping.Token));
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception exception) when (exception is IOException or InvalidOperationException or UnauthorizedAccessException)
                {
                    // The next take asks again; launches meanwhile make their own.
                    SandboxLog.TmpPoolRefillFailed(_logger, size, exception);
                    break;
                }
            }
        }
    }

    private void Release(ITmpVolume volume)
    {
        try
        {
            volume.Dispose();
        }
        catch (IOException exception)
        {
            SandboxLog.TmpPoolRefillFailed(_logger, volume.SizeBytes, exception);
        }
    }
}
