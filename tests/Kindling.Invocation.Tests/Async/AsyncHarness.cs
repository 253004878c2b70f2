using System.Text;
using Kindling.Functions.Arns;
using Kindling.Invocation.Async;
using Kindling.Invocation.Environments;
using Kindling.Invocation.Frontend;
using Kindling.Invocation.Tests.TestSupport;
using Kindling.Queues;
using Kindling.Queues.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace Kindling.Invocation.Tests.Async;

/// <summary>
/// The asynchronous path as the server composes it (real SQLite metadata, user queues and internal queue in a
/// temp directory, fake time), without the poller: tests receive an event and hand it to the processor, with a
/// scripted worker manager in place of environments.
/// </summary>
internal sealed class AsyncHarness : IAsyncDisposable
{
    public static readonly AccountContext Account = TestControlPlane.Account;

    private readonly string _directory = Directory.CreateTempSubdirectory("kindling-async-").FullName;
    private readonly ServiceProvider _provider;

    public AsyncHarness()
    {
        var services = new ServiceCollection();
        services.AddTestControlPlane(_directory);
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<IWorkerManager>(Workers);
        services.AddKindlingQueues(new QueueEngineOptions { DatabasePath = Path.Combine(_directory, "queues.db"), Region = Account.Region, AccountId = Account.AccountId });
        services.AddKindlingAsyncInvoke(
            new AsyncInvokeOptions { DatabasePath = Path.Combine(_directory, "async-events.db"), Region = Account.Region, AccountId = Account.AccountId },
            startPollers: false);
        _provider = services.BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; } = new();

    public ScriptedWorkers Workers { get; } = new();

    public AsyncEventQueue Events => _provider.GetRequiredService<AsyncEventQueue>();

    public IQueueEngine Queues => _provider.GetRequiredService<IQueueEngine>();

    public AsyncEventProcessor Processor => _provider.GetRequiredService<AsyncEventProcessor>();

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public Task CreateFunctionAsync(string name) => TestControlPlane.CreateFunctionAsync(_provider, name);

    public Task ReconcileAsync(string name) => TestControlPlane.ReconcileAsync(_provider, name);

    public async Task<string> CreateQueueAsync(string name) =>
        (await Queues.CreateQueueAsync(name, new Dictionary<string, string>(), new Dictionary<string, string>(), CancellationToken.None)).Arn;

    public Task<InvokeResponse> SendEventAsync(string function, string payload, string requestId = "req-1") =>
        Get<InvokeService>().InvokeAsync(
            new InvokeRequest { FunctionName = function, InvocationType = "Event", RequestId = requestId, Payload = Encoding.UTF8.GetBytes(payload) },
            CancellationToken.None);

    /// <summary>Receives every visible event and processes them one by one; returns how many there were.</summary>
    public async Task<int> ProcessVisibleAsync()
    {
        var count = 0;
        for (var shard = 0; shard < AsyncEventQueue.Shards; shard++)
        {
            foreach (var (item, handle, _) in await Events.ReceiveAsync(shard, 10, AsyncEventProcessor.InitialVisibilitySeconds, 0, CancellationToken.None))
            {
                await Processor.ProcessAsync(item, handle, CancellationToken.None);
                count++;
            }
        }

        return count;
    }

    public async Task<IReadOnlyList<ReceivedMessage>> DrainAsync(string queue) =>
        await Queues.ReceiveAsync(queue, new ReceiveOptions { MaxNumberOfMessages = 10, WaitTimeSeconds = 0 }, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
