using System.Text;
using Kindling.Invocation.Async;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kindling.Invocation.Tests.Async;

public sealed class AsyncEventQueueTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kindling-async-").FullName;

    private AsyncInvokeOptions Options => new() { DatabasePath = Path.Combine(_directory, "events.db"), Region = "us-east-1", AccountId = "000000000000" };

    [Fact]
    public async Task EnqueueAsync_ThenReceive_ReturnsTheEventHidden()
    {
        using var queue = new AsyncEventQueue(Options, TimeProvider.System, NullLoggerFactory.Instance);
        await queue.EnqueueAsync(Event("r-1"), 0, CancellationToken.None);

        var first = await ReceiveAllAsync(queue, 30);
        var second = await ReceiveAllAsync(queue, 30);

        Assert.Equal(["r-1"], first.Select(m => m.Event.RequestId));
        Assert.Empty(second);
    }

    [Fact]
    public async Task EnqueueAsync_Committed_SurvivesReopeningWithoutCleanShutdown()
    {
        var queue = new AsyncEventQueue(Options, TimeProvider.System, NullLoggerFactory.Instance);
        await queue.EnqueueAsync(Event("r-2"), 0, CancellationToken.None);
        // The in-flight delivery of a crashed process: visible again once its timeout passes (0 here).
        _ = await ReceiveAllAsync(queue, 0);

        using var reopened = new AsyncEventQueue(Options, TimeProvider.System, NullLoggerFactory.Instance);
        var received = await ReceiveAllAsync(reopened, 30);

        Assert.Equal(["r-2"], received.Select(m => m.Event.RequestId));
        Assert.Equal(2, received[0].ReceiveCount);
        queue.Dispose();
    }

    [Fact]
    public async Task DeleteAsync_Handled_IsGoneForGood()
    {
        using var queue = new AsyncEventQueue(Options, TimeProvider.System, NullLoggerFactory.Instance);
        await queue.EnqueueAsync(Event("r-3"), 0, CancellationToken.None);
        var (_, handle, _) = (await ReceiveAllAsync(queue, 0))[0];

        await queue.DeleteAsync(handle, CancellationToken.None);

        Assert.Empty(await ReceiveAllAsync(queue, 30));
    }

    [Fact]
    public async Task EnqueueAsync_ManyEvents_SpreadOverEveryShard()
    {
        using var queue = new AsyncEventQueue(Options, TimeProvider.System, NullLoggerFactory.Instance);
        for (var i = 0; i < AsyncEventQueue.Shards; i++)
        {
            await queue.EnqueueAsync(Event($"r-{i}"), 0, CancellationToken.None);
        }

        for (var shard = 0; shard < AsyncEventQueue.Shards; shard++)
        {
            var received = await queue.ReceiveAsync(shard, 10, 30, 0, CancellationToken.None);
            Assert.Single(received);
            Assert.StartsWith($"{shard}:", received[0].ReceiptHandle, StringComparison.Ordinal);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<List<(AsyncEvent Event, string ReceiptHandle, int ReceiveCount)>> ReceiveAllAsync(AsyncEventQueue queue, int visibility)
    {
        var all = new List<(AsyncEvent, string, int)>();
        for (var shard = 0; shard < AsyncEventQueue.Shards; shard++)
        {
            all.AddRange(await queue.ReceiveAsync(shard, 10, visibility, 0, CancellationToken.None));
        }

        return all;
    }

    private static AsyncEvent Event(string requestId) => new()
    {
        FunctionName = "f",
        RequestId = requestId,
        AcceptedAtMs = 1,
        Payload = Encoding.UTF8.GetBytes("{}"),
    };
}
