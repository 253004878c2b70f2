using Kindling.Queues;
using Kindling.Queues.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kindling.Invocation.Async;

/// <summary>
/// The internal queue of accepted events: one queue in a queue engine of its own (its own SQLite file), so users
/// can neither see it nor create, purge or delete it through the SQS API. A send returns once committed, which is
/// what makes the 202 safe; a received event stays hidden for its visibility timeout and comes back after a crash.
/// </summary>
public sealed class AsyncEventQueue : IDisposable
{
    /// <summary>The queue's name inside the internal engine.</summary>
    public const string QueueName = "async-events";

    private readonly ServiceProvider _provider;
    private readonly IQueueEngine _engine;
    private readonly SemaphoreSlim _created = new(1, 1);
    private volatile bool _ready;

    /// <summary>Opens (or creates) the internal engine's file.</summary>
    public AsyncEventQueue(AsyncInvokeOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        // The engine's type is internal to Kindling.Queues; its public registration builds it in a container of
        // our own, so this instance is not the one the SQS API serves.
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddSingleton(loggerFactory);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddKindlingQueues(new QueueEngineOptions { DatabasePath = options.DatabasePath, Region = options.Region, AccountId = options.AccountId });
        _provider = services.BuildServiceProvider();
        _engine = _provider.GetRequiredService<IQueueEngine>();
    }

    /// <summary>Commits an event; it becomes receivable after <paramref name="delaySeconds"/> (0–900).</summary>
    public async ValueTask EnqueueAsync(AsyncEvent item, int delaySeconds, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await _engine.SendAsync(QueueName, AsyncEventCodec.ToMessage(item, Math.Clamp(delaySeconds, 0, 900)), cancellationToken);
    }

    /// <summary>Takes up to <paramref name="max"/> events, hidden for <paramref name="visibilitySeconds"/>; waits up to <paramref name="waitSeconds"/>.</summary>
    public async ValueTask<IReadOnlyList<(AsyncEvent Event, string ReceiptHandle, int ReceiveCount)>> ReceiveAsync(
        int max, int visibilitySeconds, int waitSeconds, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var messages = await _engine.ReceiveAsync(
            QueueName,
            new ReceiveOptions { MaxNumberOfMessages = max, VisibilityTimeoutSeconds = visibilitySeconds, WaitTimeSeconds = waitSeconds },
            cancellationToken);
        return messages.Select(m => (AsyncEventCodec.FromMessage(m), m.ReceiptHandle, m.ReceiveCount)).ToList();
    }

    /// <summary>Removes a handled event.</summary>
    public ValueTask DeleteAsync(string receiptHandle, CancellationToken cancellationToken) =>
        _engine.DeleteMessageAsync(QueueName, receiptHandle, cancellationToken);

    /// <summary>Keeps an event hidden for <paramref name="seconds"/> more (while its invocation runs).</summary>
    public ValueTask ExtendAsync(string receiptHandle, int seconds, CancellationToken cancellationToken) =>
        _engine.ChangeVisibilityAsync(QueueName, receiptHandle, Math.Clamp(seconds, 0, 43_200), cancellationToken);

    /// <summary>Events waiting, in flight and delayed (for tests and diagnostics).</summary>
    public async ValueTask<IReadOnlyDictionary<string, string>> GetAttributesAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        return await _engine.GetAttributesAsync(QueueName, cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _provider.Dispose();
        _created.Dispose();
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
                await _engine.CreateQueueAsync(
                    QueueName,
                    new Dictionary<string, string> { ["MessageRetentionPeriod"] = "1209600", ["VisibilityTimeout"] = "30" },
                    new Dictionary<string, string>(),
                    cancellationToken);
                _ready = true;
            }
        }
        finally
        {
            _created.Release();
        }
    }
}
