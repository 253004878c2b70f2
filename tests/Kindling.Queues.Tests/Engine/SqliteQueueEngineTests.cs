using Kindling.Queues.Engine;
using Kindling.Queues.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kindling.Queues.Tests.Engine;

/// <summary>The SQLite engine on a real database file in a temporary directory.</summary>
public sealed class SqliteQueueEngineTests : QueueEngineConformanceTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kindling-queues-" + Guid.NewGuid().ToString("N"));

    protected override IQueueEngine CreateEngine(FakeTimeProvider time) => Open();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private SqliteQueueEngine Open()
    {
        Directory.CreateDirectory(_directory);
        return new SqliteQueueEngine(
            new QueueEngineOptions { DatabasePath = Path.Combine(_directory, "queues.db"), Region = "us-east-1", AccountId = "000000000000" },
            Time, NullLogger<SqliteQueueEngine>.Instance);
    }

    [Fact]
    public async Task Reopen_WithoutCleanShutdown_KeepsQueuesAndMessagesAndInFlightState()
    {
        await CreateAsync("q", ("VisibilityTimeout", "60"));
        await SendAsync("q", "one");
        await SendAsync("q", "two");
        var inFlight = Assert.Single(await ReceiveAsync("q", max: 1));

        // A second engine on the same file while the first still holds its connection: what it reads is what a
        // restart after kill -9 would read (the WAL, not a clean close).
        using var reopened = Open();
        var attributes = await reopened.GetAttributesAsync("q", CancellationToken.None);
        Assert.Equal("1", attributes["ApproximateNumberOfMessages"]);
        Assert.Equal("1", attributes["ApproximateNumberOfMessagesNotVisible"]);
        Assert.Equal("60", attributes["VisibilityTimeout"]);
        Time.Advance(TimeSpan.FromSeconds(60));
        var all = await reopened.ReceiveAsync("q", new ReceiveOptions { MaxNumberOfMessages = 10 }, CancellationToken.None);
        Assert.Equal(["one", "two"], all.Select(m => m.Body).Order().ToArray());
        Assert.Equal(2, all.Single(m => m.MessageId == inFlight.MessageId).ReceiveCount);
    }
}
