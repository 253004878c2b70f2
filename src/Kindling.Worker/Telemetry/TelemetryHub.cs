using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Kindling.Worker.Telemetry;

/// <summary>
/// An environment's telemetry: the subscribers of the Telemetry and Logs APIs and the events published to
/// them (platform events, the function's and the extensions' lines). Events of the Init phase are kept until
/// it ends, so a subscription made during Init still gets platform.initStart. Until someone subscribes,
/// publishing costs one volatile read.
/// </summary>
internal sealed class TelemetryHub : IAsyncDisposable
{
    /// <summary>Most Init-phase events kept for subscribers still to come.</summary>
    private const int BacklogLimit = 1000;

    private readonly Lock _lock = new();
    private readonly List<TelemetrySubscriber> _subscribers = [];
    private readonly Func<int, CancellationToken, ValueTask<Socket>> _connect;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _environmentId;
    private List<TelemetryEvent>? _backlog = [];
    private volatile bool _active;
    private bool _disposed;

    public TelemetryHub(Func<int, CancellationToken, ValueTask<Socket>> connect, TimeProvider time, ILogger logger, string environmentId, bool jsonLogs)
    {
        _connect = connect;
        _time = time;
        _logger = logger;
        _environmentId = environmentId;
        JsonLogs = jsonLogs;
    }

    /// <summary>Whether the function writes JSON-format logs (its lines then become JSON records).</summary>
    public bool JsonLogs { get; }

    /// <summary>Whether anyone listens (or Init is still collecting its backlog).</summary>
    public bool Active => _active || Volatile.Read(ref _backlog) is not null;

    public TimeProvider Time => _time;

    /// <summary>Adds (or replaces) an extension's subscription and announces it.</summary>
    public void Subscribe(string extensionName, SubscriptionRequest request)
    {
        TelemetrySubscriber? replaced;
        var subscriber = new TelemetrySubscriber(extensionName, request, _connect, _time, _logger, _environmentId);
        lock (_lock)
        {
            if (_disposed)
            {
                _ = subscriber.DisposeAsync().AsTask();
                return;
            }

            replaced = _subscribers.Find(s => s.Name == extensionName && s.Request.Api == request.Api);
            if (replaced is not null)
            {
                _subscribers.Remove(replaced);
            }

            _subscribers.Add(subscriber);
            _active = true;
            foreach (var earlier in _backlog ?? [])
            {
                if (subscriber.Accepts(earlier))
                {
                    subscriber.Enqueue(earlier.Json);
                }
            }
        }

        if (replaced is not null)
        {
            _ = replaced.DisposeAsync().AsTask();
        }

        Publish(TelemetryRecords.Subscription(_time.GetUtcNow(), request.Api, extensionName, request.TypeNames));
    }

    public void Publish(TelemetryEvent @event)
    {
        if (!Active)
        {
            return;
        }

        lock (_lock)
        {
            if (_backlog is { } backlog && backlog.Count < BacklogLimit)
            {
                backlog.Add(@event);
            }

            foreach (var subscriber in _subscribers)
            {
                if (subscriber.Accepts(@event))
                {
                    subscriber.Enqueue(@event.Json);
                }
            }
        }
    }

    /// <summary>A line the function (or an extension) wrote.</summary>
    public void PublishLine(ReadOnlySpan<byte> line, bool extension)
    {
        if (Active)
        {
            Publish(TelemetryRecords.Line(_time.GetUtcNow(), extension, line, JsonLogs));
        }
    }

    /// <summary>
    /// Init is over: its closing records (<paramref name="closing"/>) go to the subscribers there are, built only if
    /// there are any — later subscribers no longer get Init's events, and nothing else would read them (~50 µs of a
    /// cold start).
    /// </summary>
    public void EndInit(Func<IReadOnlyList<TelemetryEvent>> closing)
    {
        lock (_lock)
        {
            if (_active)
            {
                foreach (var record in closing())
                {
                    Publish(record);
                }
            }

            Volatile.Write(ref _backlog, null);
        }
    }

    /// <summary>Delivers everything buffered (before a freeze), waiting at most <paramref name="limit"/>.</summary>
    public async Task FlushAsync(TimeSpan limit)
    {
        if (!_active)
        {
            return;
        }

        Task[] flushes;
        lock (_lock)
        {
            flushes = [.. _subscribers.Select(s => s.FlushAsync())];
        }

        try
        {
            await Task.WhenAll(flushes).WaitAsync(limit, _time);
        }
        catch (TimeoutException)
        {
            // An extension that does not read its listener: the rest goes after the thaw.
        }
    }

    public async ValueTask DisposeAsync()
    {
        TelemetrySubscriber[] subscribers;
        lock (_lock)
        {
            _disposed = true;
            _active = false;
            _backlog = null;
            subscribers = [.. _subscribers];
            _subscribers.Clear();
        }

        foreach (var subscriber in subscribers)
        {
            await subscriber.DisposeAsync();
        }
    }
}
