using Kindling.Queues.Engine;
using Kindling.Queues.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kindling.Queues.Tests.Engine;

/// <summary>A real SQLite engine in a temporary directory, on fake time.</summary>
internal sealed class EngineFixture : IDisposable
{
    public EngineFixture()
    {
        Directory.CreateDirectory(DirectoryPath);
        Engine = Open();
    }

    public string DirectoryPath { get; } = Path.Combine(Path.GetTempPath(), "kindling-queues-" + Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(DirectoryPath, "queues.db");

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public SqliteQueueEngine Engine { get; }

    public SqliteQueueEngine Open() => new(
        new QueueEngineOptions { DatabasePath = DatabasePath, Region = "us-east-1", AccountId = "000000000000" },
        Time, NullLogger<SqliteQueueEngine>.Instance);

    public async Task<QueueInfo> CreateAsync(string name, params (string Key, string Value)[] attributes) =>
        await Engine.CreateQueueAsync(name, attributes.ToDictionary(a => a.Key, a => a.Value), new Dictionary<string, string>(), CancellationToken.None);

    public Task<SentMessage> SendAsync(string queue, string body, string? group = null, string? dedup = null, int? delay = null) =>
        Engine.SendAsync(queue, new OutgoingMessage { Body = body, MessageGroupId = group, MessageDeduplicationId = dedup, DelaySeconds = delay, SenderId = "AKIDTEST" },
            CancellationToken.None).AsTask();

    public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int max = 10, int? visibility = null, int wait = 0) =>
        Engine.ReceiveAsync(queue, new ReceiveOptions { MaxNumberOfMessages = max, VisibilityTimeoutSeconds = visibility, WaitTimeSeconds = wait },
            CancellationToken.None).AsTask();

    public async Task<string> AttributeAsync(string queue, string name) => (await Engine.GetAttributesAsync(queue, CancellationToken.None))[name];

    public void Dispose()
    {
        Engine.Dispose();
        Directory.Delete(DirectoryPath, recursive: true);
    }
}
