using Kindling.Queues.Engine;
using Kindling.Queues.Errors;

namespace Kindling.Queues.Tests.Engine;

public sealed class SqliteQueueEngineTests : IDisposable
{
    private readonly EngineFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Receive_VisibilityTimeoutExpires_RedeliversWithCountTwoAndFirstReceiveKept()
    {
        await _f.CreateAsync("q", ("VisibilityTimeout", "30"));
        var sent = await _f.SendAsync("q", "hello");
        var first = Assert.Single(await _f.ReceiveAsync("q"));
        Assert.Equal(sent.MessageId, first.MessageId);
        Assert.Equal(1, first.ReceiveCount);
        Assert.Equal("5d41402abc4b2a76b9719d911017c592", first.Md5OfBody);
        Assert.Empty(await _f.ReceiveAsync("q"));
        Assert.Equal("1", await _f.AttributeAsync("q", "ApproximateNumberOfMessagesNotVisible"));

        _f.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await _f.ReceiveAsync("q"));
        _f.Time.Advance(TimeSpan.FromSeconds(1));
        var second = Assert.Single(await _f.ReceiveAsync("q"));
        Assert.Equal(2, second.ReceiveCount);
        Assert.Equal(first.FirstReceiveTimestamp, second.FirstReceiveTimestamp);
        Assert.NotEqual(first.ReceiptHandle, second.ReceiptHandle);
    }

    [Fact]
    public async Task DeleteMessage_StaleHandle_KeepsMessage_CurrentHandleDeletes()
    {
        await _f.CreateAsync("q");
        await _f.SendAsync("q", "m");
        var first = Assert.Single(await _f.ReceiveAsync("q", visibility: 0));
        var second = Assert.Single(await _f.ReceiveAsync("q", visibility: 0));
        await _f.Engine.DeleteMessageAsync("q", first.ReceiptHandle, CancellationToken.None);
        Assert.Equal("1", await _f.AttributeAsync("q", "ApproximateNumberOfMessages"));
        await _f.Engine.DeleteMessageAsync("q", second.ReceiptHandle, CancellationToken.None);
        Assert.Equal("0", await _f.AttributeAsync("q", "ApproximateNumberOfMessages"));
    }

    [Fact]
    public async Task DeleteMessage_MalformedHandle_ThrowsReceiptHandleIsInvalid()
    {
        await _f.CreateAsync("q");
        var ex = await Assert.ThrowsAsync<QueueException>(() => _f.Engine.DeleteMessageAsync("q", "garbage!", CancellationToken.None).AsTask());
        Assert.Equal("ReceiptHandleIsInvalid", ex.Code);
        Assert.Equal("The input receipt handle \"garbage!\" is not a valid receipt handle.", ex.Message);
    }

    [Fact]
    public async Task ChangeVisibility_ToZero_MakesVisible_AndNotInFlightThrows()
    {
        await _f.CreateAsync("q");
        await _f.SendAsync("q", "m");
        var received = Assert.Single(await _f.ReceiveAsync("q"));
        await _f.Engine.ChangeVisibilityAsync("q", received.ReceiptHandle, 0, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<QueueException>(() => _f.Engine.ChangeVisibilityAsync("q", received.ReceiptHandle, 10, CancellationToken.None).AsTask());
        Assert.Equal("AWS.SimpleQueueService.MessageNotInflight", ex.Code);
        Assert.Single(await _f.ReceiveAsync("q"));
    }

    [Fact]
    public async Task Send_WithDelay_HiddenUntilDelayPasses()
    {
        await _f.CreateAsync("q", ("DelaySeconds", "5"));
        await _f.SendAsync("q", "queue-delay");
        await _f.SendAsync("q", "message-delay", delay: 10);
        Assert.Empty(await _f.ReceiveAsync("q"));
        Assert.Equal("2", await _f.AttributeAsync("q", "ApproximateNumberOfMessagesDelayed"));
        _f.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("queue-delay", Assert.Single(await _f.ReceiveAsync("q")).Body);
        _f.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("message-delay", Assert.Single(await _f.ReceiveAsync("q")).Body);
    }

    [Fact]
    public async Task Receive_AfterRetentionPeriod_MessageIsGone()
    {
        await _f.CreateAsync("q", ("MessageRetentionPeriod", "60"));
        await _f.SendAsync("q", "old");
        _f.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("1", await _f.AttributeAsync("q", "ApproximateNumberOfMessages"));
        _f.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(await _f.ReceiveAsync("q"));
        Assert.Equal("0", await _f.AttributeAsync("q", "ApproximateNumberOfMessages"));
    }

    [Fact]
    public async Task Receive_BeyondMaxReceiveCount_MovesToDeadLetterQueue()
    {
        var dlq = await _f.CreateAsync("dlq");
        await _f.CreateAsync("q", ("RedrivePolicy", $"{{\"deadLetterTargetArn\":\"{dlq.Arn}\",\"maxReceiveCount\":\"2\"}}"));
        Assert.Equal("{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:dlq\",\"maxReceiveCount\":2}", await _f.AttributeAsync("q", "RedrivePolicy"));
        var sent = await _f.SendAsync("q", "poison");
        Assert.Single(await _f.ReceiveAsync("q", visibility: 0));
        Assert.Single(await _f.ReceiveAsync("q", visibility: 0));
        Assert.Empty(await _f.ReceiveAsync("q", visibility: 0));
        var dead = Assert.Single(await _f.ReceiveAsync("dlq"));
        Assert.Equal(sent.MessageId, dead.MessageId);
        Assert.Equal("poison", dead.Body);
        Assert.Equal(1, dead.ReceiveCount);
    }

    [Fact]
    public async Task CreateQueue_RedriveToMissingQueue_ThrowsInvalidParameterValue()
    {
        var ex = await Assert.ThrowsAsync<QueueException>(() =>
            _f.CreateAsync("q", ("RedrivePolicy", "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:none\",\"maxReceiveCount\":3}")));
        Assert.Equal("InvalidParameterValue", ex.Code);
        Assert.EndsWith("Reason: Dead letter target does not exist.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateQueue_SameAttributes_Idempotent_DifferentOnes_QueueAlreadyExists()
    {
        var first = await _f.CreateAsync("q", ("VisibilityTimeout", "40"));
        var again = await _f.CreateAsync("q", ("VisibilityTimeout", "40"));
        Assert.Equal(first.CreatedTimestamp, again.CreatedTimestamp);
        var ex = await Assert.ThrowsAsync<QueueException>(() => _f.CreateAsync("q", ("VisibilityTimeout", "41")));
        Assert.Equal("QueueAlreadyExists", ex.Code);
        Assert.Equal("QueueNameExists", ex.Type);
    }

    [Fact]
    public async Task CreateQueue_OutOfRangeAttribute_ThrowsInvalidAttributeValue()
    {
        var ex = await Assert.ThrowsAsync<QueueException>(() => _f.CreateAsync("q", ("VisibilityTimeout", "43201")));
        Assert.Equal("InvalidAttributeValue", ex.Code);
        Assert.Equal("Invalid value for the parameter VisibilityTimeout.", ex.Message);
        var unknown = await Assert.ThrowsAsync<QueueException>(() => _f.CreateAsync("q", ("Colour", "blue")));
        Assert.Equal("Unknown Attribute Colour.", unknown.Message);
    }

    [Fact]
    public async Task Fifo_OneGroupInFlightAtATime_OtherGroupsProceedInOrder()
    {
        await _f.CreateAsync("f.fifo", ("FifoQueue", "true"), ("ContentBasedDeduplication", "true"));
        var a1 = await _f.SendAsync("f.fifo", "a1", group: "a");
        var a2 = await _f.SendAsync("f.fifo", "a2", group: "a");
        await _f.SendAsync("f.fifo", "b1", group: "b");
        Assert.True(string.CompareOrdinal(a1.SequenceNumber, a2.SequenceNumber) < 0);
        Assert.Equal(20, a1.SequenceNumber!.Length);

        var first = Assert.Single(await _f.ReceiveAsync("f.fifo", max: 1));
        Assert.Equal("a1", first.Body);
        Assert.Equal("b1", Assert.Single(await _f.ReceiveAsync("f.fifo", max: 10)).Body);
        Assert.Empty(await _f.ReceiveAsync("f.fifo"));
        await _f.Engine.DeleteMessageAsync("f.fifo", first.ReceiptHandle, CancellationToken.None);
        var next = Assert.Single(await _f.ReceiveAsync("f.fifo"));
        Assert.Equal("a2", next.Body);
        Assert.Equal(a2.SequenceNumber, next.SequenceNumber);
    }

    [Fact]
    public async Task Fifo_DuplicateWithinFiveMinutes_Dropped_AfterWindow_Accepted()
    {
        await _f.CreateAsync("f.fifo", ("FifoQueue", "true"));
        var first = await _f.SendAsync("f.fifo", "x", group: "g", dedup: "d1");
        var duplicate = await _f.SendAsync("f.fifo", "other body", group: "g", dedup: "d1");
        Assert.Equal(first.MessageId, duplicate.MessageId);
        Assert.Equal(first.SequenceNumber, duplicate.SequenceNumber);
        Assert.Equal("1", await _f.AttributeAsync("f.fifo", "ApproximateNumberOfMessages"));
        _f.Time.Advance(TimeSpan.FromMinutes(5));
        var later = await _f.SendAsync("f.fifo", "x", group: "g", dedup: "d1");
        Assert.NotEqual(first.MessageId, later.MessageId);
        Assert.Equal("2", await _f.AttributeAsync("f.fifo", "ApproximateNumberOfMessages"));
    }

    [Fact]
    public async Task Fifo_NoDeduplicationId_WithoutContentBased_ThrowsInvalidParameterValue()
    {
        await _f.CreateAsync("f.fifo", ("FifoQueue", "true"));
        var ex = await Assert.ThrowsAsync<QueueException>(() => _f.SendAsync("f.fifo", "x", group: "g"));
        Assert.Equal("InvalidParameterValue", ex.Code);
        Assert.Equal("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly", ex.Message);
        var noGroup = await Assert.ThrowsAsync<QueueException>(() => _f.SendAsync("f.fifo", "x", dedup: "d"));
        Assert.Equal("MissingParameter", noGroup.Code);
        Assert.Equal("The request must contain the parameter MessageGroupId.", noGroup.Message);
    }

    [Fact]
    public async Task Receive_LongPoll_WokenBySend_WithoutTimeMoving()
    {
        await _f.CreateAsync("q");
        var waiting = _f.ReceiveAsync("q", wait: 20);
        Assert.False(waiting.IsCompleted);
        await _f.SendAsync("q", "wake");
        var received = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("wake", Assert.Single(received).Body);
    }

    [Fact]
    public async Task Receive_LongPoll_NothingArrives_ReturnsEmptyAtDeadline()
    {
        await _f.CreateAsync("q");
        var waiting = _f.ReceiveAsync("q", wait: 20);
        _f.Time.Advance(TimeSpan.FromSeconds(19));
        Assert.False(waiting.IsCompleted);
        _f.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Receive_LongPoll_WakesWhenDelayedMessageBecomesVisible()
    {
        await _f.CreateAsync("q");
        await _f.SendAsync("q", "later", delay: 5);
        var waiting = _f.ReceiveAsync("q", wait: 20);
        Assert.False(waiting.IsCompleted);
        _f.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("later", Assert.Single(await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Body);
    }

    [Fact]
    public async Task Reopen_WithoutCleanShutdown_KeepsQueuesAndMessagesAndInFlightState()
    {
        await _f.CreateAsync("q", ("VisibilityTimeout", "60"));
        await _f.SendAsync("q", "one");
        await _f.SendAsync("q", "two");
        var inFlight = Assert.Single(await _f.ReceiveAsync("q", max: 1));

        // A second engine on the same file while the first still holds its connection: what it reads is what a
        // restart after kill -9 would read (the WAL, not a clean close).
        using var reopened = _f.Open();
        var attributes = await reopened.GetAttributesAsync("q", CancellationToken.None);
        Assert.Equal("1", attributes["ApproximateNumberOfMessages"]);
        Assert.Equal("1", attributes["ApproximateNumberOfMessagesNotVisible"]);
        Assert.Equal("60", attributes["VisibilityTimeout"]);
        _f.Time.Advance(TimeSpan.FromSeconds(60));
        var all = await reopened.ReceiveAsync("q", new ReceiveOptions { MaxNumberOfMessages = 10 }, CancellationToken.None);
        Assert.Equal(["one", "two"], all.Select(m => m.Body).Order().ToArray());
        Assert.Equal(2, all.Single(m => m.MessageId == inFlight.MessageId).ReceiveCount);
    }

    [Fact]
    public async Task Purge_Twice_WithinSixtySeconds_ThrowsPurgeQueueInProgress()
    {
        await _f.CreateAsync("q");
        await _f.SendAsync("q", "m");
        await _f.Engine.PurgeAsync("q", CancellationToken.None);
        Assert.Equal("0", await _f.AttributeAsync("q", "ApproximateNumberOfMessages"));
        var ex = await Assert.ThrowsAsync<QueueException>(() => _f.Engine.PurgeAsync("q", CancellationToken.None).AsTask());
        Assert.Equal("AWS.SimpleQueueService.PurgeQueueInProgress", ex.Code);
        Assert.Equal("Only one PurgeQueue operation on q is allowed every 60 seconds.", ex.Message);
        _f.Time.Advance(TimeSpan.FromSeconds(60));
        await _f.Engine.PurgeAsync("q", CancellationToken.None);
    }

    [Fact]
    public async Task FindByArn_ReturnsQueue()
    {
        await _f.CreateAsync("q");
        var found = await _f.Engine.FindByArnAsync("arn:aws:sqs:us-east-1:000000000000:q", CancellationToken.None);
        Assert.Equal("q", found!.Name);
        Assert.Null(await _f.Engine.FindByArnAsync("arn:aws:sqs:us-east-1:111111111111:q", CancellationToken.None));
    }

    [Fact]
    public async Task DeleteQueue_Missing_ThrowsQueueDoesNotExist()
    {
        var ex = await Assert.ThrowsAsync<QueueException>(() => _f.Engine.DeleteQueueAsync("none", CancellationToken.None).AsTask());
        Assert.Equal("AWS.SimpleQueueService.NonExistentQueue", ex.Code);
        Assert.Equal("The specified queue does not exist.", ex.Message);
    }
}
