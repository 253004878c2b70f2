using Kindling.Invocation.Workers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kindling.Invocation.Async;

/// <summary>
/// The poller pool: one long-polling receiver per shard of the internal queue takes events from the internal queue only when an invoker slot
/// is free (so nothing is hidden while it waits), and hand each to <see cref="AsyncEventProcessor"/>. At shutdown
/// the receivers stop, running events are cancelled and made visible again at once, and every task is awaited.
/// </summary>
internal sealed class AsyncEventPoller(AsyncEventQueue queue, AsyncEventProcessor processor, AsyncInvokeOptions options, ILogger<AsyncEventPoller> logger)
    : BackgroundService
{
    private const int LongPollSeconds = 20;
    private const int MaxBatch = 10;

    private readonly SemaphoreSlim _slots = new(options.MaxConcurrentInvokes, options.MaxConcurrentInvokes);
    private readonly BackgroundWork _work = new();

    // A receiver holds its slots through a long poll: an even share each, so an empty shard cannot starve the others.
    private readonly int _batch = Math.Clamp(options.MaxConcurrentInvokes / AsyncEventQueue.Shards, 1, MaxBatch);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        AsyncLog.Started(logger, AsyncEventQueue.Shards, options.MaxConcurrentInvokes, options.RetryDelayScale);
        // One long-polling receiver per shard of the internal queue.
        var receivers = Enumerable.Range(0, AsyncEventQueue.Shards).Select(shard => Task.Run(() => ReceiveLoopAsync(shard, stoppingToken), CancellationToken.None)).ToList();
        await Task.WhenAll(receivers);
        await _work.WhenIdleAsync();
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }

    private async Task ReceiveLoopAsync(int shard, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var taken = 0;
            try
            {
                await _slots.WaitAsync(stoppingToken);
                taken = 1;
                while (taken < _batch && _slots.Wait(0))
                {
                    taken++;
                }

                var batch = await queue.ReceiveAsync(shard, taken, AsyncEventProcessor.InitialVisibilitySeconds, LongPollSeconds, stoppingToken);
                foreach (var (item, handle, _) in batch)
                {
                    Start(item, handle, stoppingToken);
                    taken--;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                AsyncLog.ReceiveFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
            finally
            {
                if (taken > 0)
                {
                    _slots.Release(taken);
                }
            }
        }
    }

    private void Start(AsyncEvent item, string receiptHandle, CancellationToken stoppingToken) =>
        _ = _work.Run(static state => state.Self.RunAsync(state.Item, state.ReceiptHandle, state.StoppingToken), (Self: this, Item: item, ReceiptHandle: receiptHandle, StoppingToken: stoppingToken));

    private async Task RunAsync(AsyncEvent item, string receiptHandle, CancellationToken stoppingToken)
    {
        try
        {
            await processor.ProcessAsync(item, receiptHandle, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A clean stop: the event runs again after the restart without waiting out its visibility timeout.
                await queue.ExtendAsync(receiptHandle, 0, CancellationToken.None);
            }
            catch (Exception)
            {
                // It reappears after its visibility timeout instead.
            }
        }
        catch (Exception ex)
        {
            AsyncLog.HandlingFailed(logger, item.RequestId, item.FunctionName, ex);
        }
        finally
        {
            _slots.Release();
        }
    }
}
