using Kindling.Queues;
using Kindling.Queues.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kindling.Invocation.Async;

/// <summary>
/// The internal queue of accepted events: one queue in each of a few queue engines of its own (their own SQLite files), so users
/// can neither see it nor create, purge or delete it through the SQS API. A send returns once committed, which is
/// what makes the 202 safe; a received event stays hidden for its visibility timeout and comes back after a crash.
/// </summary>
public sealed class AsyncEventQueue : IDisposable
{
    /// <summary>The queue's name inside each internal engine.</summary>
    public const string QueueName = "async-events";

    /// <summary>
    /// Engines (SQLite files) the events are spread over, round-robin, each with its own receiver. One since the engine
    /// commits concurrent calls as a group (measured: one file accepted ~500 events/s from 8 clients, four ~440/s;
    /// before group commit, one ~120/s and four ~220/s). Only ever raise it: events in a file beyond a smaller count
    /// would not be read again.
    /// </summary>
    public const int Shards = 1;

    private readonly (ServiceProvider Provider, IQueueEngine Engine)[] _shards;
    private readonly SemaphoreSlim _created = new(1, 1);
    private volatile bool _ready;
    private uint _next;

    /// <summary>Opens (or creates) the internal engines' files: the configured path, then <c>-1</c>, <c>-2</c>… beside it.</summary>
    public AsyncEventQueue(AsyncInvokeOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _shards = new (ServiceProvider, IQueueEngine)[Shards];
        for (var i = 0; i < Shards; i++)
        {
            var path = i == 0 ? options.DatabasePath : Path.ChangeExtension(options.DatabasePath, null) + $"-{i}" + Path.GetExtension(options.DatabasePath);
            // The engine's type is internal to Kindling.Queues; its public registration builds it in a container of
            // our own, so these instances are not the one the SQS API serves.
            var services = new ServiceCollection();
            services.AddSingleton(time);
            services.AddSingleton(loggerFactory);
            services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
            services.AddKindlingQueues(new QueueEngineOptions { DatabasePath = path, Region = options.Region, AccountId = options.AccountId });
            var provider = services.BuildServiceProvider();
            _shards[i] = (provider, provider.GetRequiredService<IQueueEngine>());
        }
    }

    /// <summary>Commits an event; it becomes receivable after <paramref name="delaySeconds"/> (0–900).</summary>
    public async ValueTask EnqueueAsync(AsyncEvent item, int delaySeconds, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var shard = _shards[Interlocked.Increment(ref _next) % Shards];
        await shard.Engine.SendAsync(QueueName, AsyncEventCodec.ToMessage(item, Math.Clamp(delaySeconds, 0, 900)), cancellationToken);
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> events from one shard, hidden for <paramref name="visibilitySeconds"/>; waits up to
    /// <paramref name="waitSeconds"/>. The receipt handles name their shard.
    /// </summary>
    public async ValueTask<IReadOnlyList<(AsyncEvent Event, string ReceiptHandle, int ReceiveCount)>> ReceiveAsync(
        int shard, int max, int visibilitySeconds, int waitSeconds, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var messages = await _shards[shard].Engine.ReceiveAsync(
            QueueName,
            new ReceiveOptions { MaxNumberOfMessages = max, VisibilityTimeoutSeconds = visibilitySeconds, WaitTimeSeconds = waitSeconds },
            cancellationToken);
        return messages.Select(m => (AsyncEventCodec.FromMessage(m), $"{shard}:{m.ReceiptHandle}", m.ReceiveCount)).ToList();
    }

    /// <summary>Removes a handled event.</summary>
    public ValueTask DeleteAsync(string receiptHandle, CancellationToken cancellationToken)
    {
        var (engine, handle) = Route(receiptHandle);
        return engine.DeleteMessageAsync(QueueName, handle, cancellationToken);
    }

    /// <summary>Keeps an event hidden for <paramref name="seconds"/> more (while its invocation runs); 0 makes it visible.</summary>
    public ValueTask ExtendAsync(string receiptHandle, int seconds, CancellationToken cancellationToken)
    {
        var (engine, handle) = Route(receiptHandle);
        return engine.ChangeVisibilityAsync(QueueName, handle, Math.Clamp(seconds, 0, 43_200), cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var (provider, _) in _shards)
        {
            provider.Dispose();
        }

        _created.Dispose();
    }

    private (IQueueEngine Engine, string Handle) Route(string receiptHandle)
    {
        var colon = receiptHandle.IndexOf(':', StringComparison.Ordinal);
        return (_shards[int.Parse(receiptHandle.AsSpan(0, colon), System.Globalization.CultureInfo.InvariantCulture)].Engine, receiptHandle[(colon + 1)..]);
    }

    private async ValueTask EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _created.WaitAsync(cancellationToken);
        try
        {
            if (!_ready)
            {
                // Retention at SQS's maximum (14 days): events leave by being handled or by exceeding their age, never by retention.
                foreach (var (_, engine) in _shards)
                {
                    await engine.CreateQueueAsync(
                        QueueName,
                        new Dictionary<string, string> { ["MessageRetentionPeriod"] = "1209600", ["VisibilityTimeout"] = "30" },
                        new Dictionary<string, string>(),
                        cancellationToken);
                }

                _ready = true;
            }
        }
        finally
        {
            _created.Release();
        }
    }
}
