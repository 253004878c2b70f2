using Kindling.Queues.Engine;
using Kindling.Queues.Errors;
using Microsoft.Extensions.Time.Testing;

namespace Kindling.Queues.Tests.Engine;

/// <summary>What every <see cref="IQueueEngine"/> provider must do; each provider's tests inherit it.</summary>
public abstract class QueueEngineConformanceTests : IDisposable
{
    private IQueueEngine? _engine;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected IQueueEngine Engine => _engine ??= CreateEngine(Time);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected abstract IQueueEngine CreateEngine(FakeTimeProvider time);

    protected virtual void Dispose(bool disposing)
    {
        (_engine as IDisposable)?.Dispose();
    }

    protected async Task<QueueInfo> CreateAsync(string name, params (string Key, string Value)[] attributes) =>
        await Engine.CreateQueueAsync(name, attributes.ToDictionary(a => a.Key, a => a.Value), new Dictionary<string, string>(), CancellationToken.None);

    protected Task<SentMessage> SendAsync(string queue, string body, string? group = null, string? dedup = null, int? delay = null) =>
        Engine.SendAsync(queue, new OutgoingMessage { Body = body, MessageGroupId = group, MessageDeduplicationId = dedup, DelaySeconds = delay, SenderId = "AKIDTEST" },
            CancellationToken.None).AsTask();

    protected Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int max = 10, int? visibility = null, int wait = 0) =>
        Engine.ReceiveAsync(queue, new ReceiveOptions { MaxNumberOfMessages = max, VisibilityTimeoutSeconds = visibility, WaitTimeSeconds = wait },
            CancellationToken.None).AsTask();

    protected async Task<string> AttributeAsync(string queue, string name) => (await Engine.GetAttributesAsync(queue, CancellationToken.None))[name];

    [Fact]
    public async Task Receive_VisibilityTimeoutExpires_RedeliversWithCountTwoAndFirstReceiveKept()
    {
        await CreateAsync("q", ("VisibilityTimeout", "30"));
        var sent = await SendAsync("q", "hello");
        var first = Assert.Single(await ReceiveAsync("q"));
        Assert.Equal(sent.MessageId, first.MessageId);
        Assert.Equal(1, first.ReceiveCount);
        Assert.Equal("5d41402abc4b2a76b9719d911017c592", first.Md5OfBody);
        Assert.Empty(await ReceiveAsync("q"));
        Assert.Equal("1", await AttributeAsync("q", "ApproximateNumberOfMessagesNotVisible"));

        Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await ReceiveAsync("q"));
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = Assert.Single(await ReceiveAsync("q"));
        Assert.Equal(2, second.ReceiveCount);
        Assert.Equal(first.FirstReceiveTimestamp, second.FirstReceiveTimestamp);
        Assert.NotEqual(first.ReceiptHandle, second.ReceiptHandle);
    }

    [Fact]
    public async Task DeleteMessage_StaleHandle_KeepsMessage_CurrentHandleDeletes()
    {
        await CreateAsync("q");
        await SendAsync("q", "m");
        var first = Assert.Single(await ReceiveAsync("q", visibility: 0));
        var second = Assert.Single(await ReceiveAsync("q", visibility: 0));
        await Engine.DeleteMessageAsync("q", first.ReceiptHandle, CancellationToken.None);
        Assert.Equal("1", await AttributeAsync("q", "ApproximateNumberOfMessages"));
        await Engine.DeleteMessageAsync("q", second.ReceiptHandle, CancellationToken.None);
        Assert.Equal("0", await AttributeAsync("q", "ApproximateNumberOfMessages"));
    }

    [Fact]
    public async Task DeleteMessage_MalformedHandle_ThrowsReceiptHandleIsInvalid()
    {
        await CreateAsync("q");
        var ex = await Assert.ThrowsAsync<QueueException>(() => Engine.DeleteMessageAsync("q", "garbage!", CancellationToken.None).AsTask());
        Assert.Equal("ReceiptHandleIsInvalid", ex.Code);
        Assert.Equal("The input receipt handle \"garbage!\" is not a valid receipt handle.", ex.Message);
    }

    [Fact]
    public async Task ChangeVisibility_ToZero_MakesVisible_AndNotInFlightThrows()
    {
        await CreateAsync("q");
        await SendAsync("q", "m");
        var received = Assert.Single(await ReceiveAsync("q"));
        await Engine.ChangeVisibilityAsync("q", received.ReceiptHandle, 0, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<QueueException>(() => Engine.ChangeVisibilityAsync("q", received.ReceiptHandle, 10, CancellationToken.None).AsTask());
        Assert.Equal("AWS.SimpleQueueService.MessageNotInflight", ex.Code);
        Assert.Single(await ReceiveAsync("q"));
    }

    [Fact]
    public async Task Send_WithDelay_HiddenUntilDelayPasses()
    {
        await CreateAsync("q", ("DelaySeconds", "5"));
        await SendAsync("q", "queue-delay");
        await SendAsync("q", "message-delay", delay: 10);
        Assert.Empty(await ReceiveAsync("q"));
        Assert.Equal("2", await AttributeAsync("q", "ApproximateNumberOfMessagesDelayed"));
        Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("queue-delay", Assert.Single(await ReceiveAsync("q")).Body);
        Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("message-delay", Assert.Single(await ReceiveAsync("q")).Body);
    }

    [Fact]
    public async Task Receive_AfterRetentionPeriod_MessageIsGone()
    {
        await CreateAsync("q", ("MessageRetentionPeriod", "60"));
        await SendAsync("q", "old");
        Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("1", await AttributeAsync("q", "ApproximateNumberOfMessages"));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(await ReceiveAsync("q"));
        Assert.Equal("0", await AttributeAsync("q", "ApproximateNumberOfMessages"));
    }

    [Fact]
    public async Task Receive_BeyondMaxReceiveCount_MovesToDeadLetterQueue()
    {
        var dlq = await CreateAsync("dlq");
        await CreateAsync("q", ("RedrivePolicy", $"{{\"deadLetterTargetArn\":\"{dlq.Arn}\",\"maxReceiveCount\":\"2\"}}"));
        Assert.Equal("{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:dlq\",\"maxReceiveCount\":2}", await AttributeAsync("q", "RedrivePolicy"));
        var sent = await SendAsync("q", "poison");
        Assert.Single(await ReceiveAsync("q", visibility: 0));
        Assert.Single(await ReceiveAsync("q", visibility: 0));
        Assert.Empty(await ReceiveAsync("q", visibility: 0));
        var dead = Assert.Single(await ReceiveAsync("dlq"));
        Assert.Equal(sent.MessageId, dead.MessageId);
        Assert.Equal("poison", dead.Body);
        Assert.Equal(1, dead.ReceiveCount);
    }

    [Fact]
    public async Task CreateQueue_RedriveToMissingQueue_ThrowsInvalidParameterValue()
    {
        var ex = await Assert.ThrowsAsync<QueueException>(() =>
            CreateAsync("q", ("RedrivePolicy", "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:none\",\"maxReceiveCount\":3}")));
        Assert.Equal("InvalidParameterValue", ex.Code);
        Assert.EndsWith("Reason: Dead letter target does not exist.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateQueue_SameAttributes_Idempotent_DifferentOnes_QueueAlreadyExists()
    {
        var first = await CreateAsync("q", ("VisibilityTimeout", "40"));
        var again = await CreateAsync("q", ("VisibilityTimeout", "40"));
        Assert.Equal(first.CreatedTimestamp, again.CreatedTimestamp);
        var ex = await Assert.ThrowsAsync<QueueException>(() => CreateAsync("q", ("VisibilityTimeout", "41")));
        Assert.Equal("QueueAlreadyExists", ex.Code);
        Assert.Equal("QueueNameExists", ex.Type);
    }

    [Fact]
    public async Task CreateQueue_OutOfRangeAttribute_ThrowsInvalidAttributeValue()
    {
        var ex = await Assert.ThrowsAsync<QueueException>(() => CreateAsync("q", ("VisibilityTimeout", "43201")));
        Assert.Equal("InvalidAttributeValue", ex.Code);
        Assert.Equal("Invalid value for the parameter VisibilityTimeout.", ex.Message);
        var unknown = await Assert.ThrowsAsync<QueueException>(() => CreateAsync("q", ("Colour", "blue")));
        Assert.Equal("Unknown Attribute Colour.", unknown.Message);
    }

    [Fact]
    public async Task Fifo_OneGroupInFlightAtATime_OtherGroupsProceedInOrder()
    {
        await CreateAsync("f.fifo", ("FifoQueue", "true"), ("ContentBasedDeduplication", "true"));
        var a1 = await SendAsync("f.fifo", "a1", group: "a");
        var a2 = await SendAsync("f.fifo", "a2", group: "a");
        await SendAsync("f.fifo", "b1", group: "b");
        Assert.True(string.CompareOrdinal(a1.SequenceNumber, a2.SequenceNumber) < 0);
        Assert.Equal(20, a1.SequenceNumber!.Length);

        var first = Assert.Single(await ReceiveAsync("f.fifo", max: 1));
        Assert.Equal("a1", first.Body);
        Assert.Equal("b1", Assert.Single(await ReceiveAsync("f.fifo", max: 10)).Body);
        Assert.Empty(await ReceiveAsync("f.fifo"));
        await Engine.DeleteMessageAsync("f.fifo", first.ReceiptHandle, CancellationToken.None);
        var next = Assert.Single(await ReceiveAsync("f.fifo"));
        Assert.Equal("a2", next.Body);
        Assert.Equal(a2.SequenceNumber, next.SequenceNumber);
    }

    [Fact]
    public async Task Fifo_DuplicateWithinFiveMinutes_Dropped_AfterWindow_Accepted()
    {
        await CreateAsync("f.fifo", ("FifoQueue", "true"));
        var first = await SendAsync("f.fifo", "x", group: "g", dedup: "d1");
        var duplicate = await SendAsync("f.fifo", "other body", group: "g", dedup: "d1");
        Assert.Equal(first.MessageId, duplicate.MessageId);
        Assert.Equal(first.SequenceNumber, duplicate.SequenceNumber);
        Assert.Equal("1", await AttributeAsync("f.fifo", "ApproximateNumberOfMessages"));
        Time.Advance(TimeSpan.FromMinutes(5));
        var later = await SendAsync("f.fifo", "x", group: "g", dedup: "d1");
        Assert.NotEqual(first.MessageId, later.MessageId);
        Assert.Equal("2", await AttributeAsync("f.fifo", "ApproximateNumberOfMessages"));
    }

    [Fact]
    public async Task Fifo_NoDeduplicationId_WithoutContentBased_ThrowsInvalidParameterValue()
    {
        await CreateAsync("f.fifo", ("FifoQueue", "true"));
        var ex = await Assert.ThrowsAsync<QueueException>(() => SendAsync("f.fifo", "x", group: "g"));
        Assert.Equal("InvalidParameterValue", ex.Code);
        Assert.Equal("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly", ex.Message);
        var noGroup = await Assert.ThrowsAsync<QueueException>(() => SendAsync("f.fifo", "x", dedup: "d"));
        Assert.Equal("MissingParameter", noGroup.Code);
        Assert.Equal("The request must contain the parameter MessageGroupId.", noGroup.Message);
    }

    [Fact]
    public async Task Receive_LongPoll_WokenBySend_WithoutTimeMoving()
    {
        await CreateAsync("q");
        var waiting = ReceiveAsync("q", wait: 20);
        Assert.False(waiting.IsCompleted);
        await SendAsync("q", "wake");
        var received = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("wake", Assert.Single(received).Body);
    }

    [Fact]
    public async Task Receive_LongPoll_NothingArrives_ReturnsEmptyAtDeadline()
    {
        await CreateAsync("q");
        var waiting = ReceiveAsync("q", wait: 20);
        Time.Advance(TimeSpan.FromSeconds(19));
        Assert.False(waiting.IsCompleted);
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Receive_LongPoll_WakesWhenDelayedMessageBecomesVisible()
    {
        await CreateAsync("q");
        await SendAsync("q", "later", delay: 5);
        var waiting = ReceiveAsync("q", wait: 20);
        Assert.False(waiting.IsCompleted);
        Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("later", Assert.Single(await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Body);
    }

    [Fact]
    public async Task Purge_Twice_WithinSixtySeconds_ThrowsPurgeQueueInProgress()
    {
        await CreateAsync("q");
        await SendAsync("q", "m");
        await Engine.PurgeAsync("q", CancellationToken.None);
        Assert.Equal("0", await AttributeAsync("q", "ApproximateNumberOfMessages"));
        var ex = await Assert.ThrowsAsync<QueueException>(() => Engine.PurgeAsync("q", CancellationToken.None).AsTask());
        Assert.Equal("AWS.SimpleQueueService.PurgeQueueInProgress", ex.Code);
        Assert.Equal("Only one PurgeQueue operation on q is allowed every 60 seconds.", ex.Message);
        Time.Advance(TimeSpan.FromSeconds(60));
        await Engine.PurgeAsync("q", CancellationToken.None);
    }

    [Fact]
    public async Task SendBatch_OneInvalidEntry_FailsAlone()
    {
        await CreateAsync("q");
        var outcomes = await Engine.SendBatchAsync("q",
        [
            new OutgoingMessage { Body = "a" },
            new OutgoingMessage { Body = "b", DelaySeconds = 901 },
            new OutgoingMessage { Body = "c" },
        ], CancellationToken.None);
        Assert.NotNull(outcomes[0].Message);
        Assert.Equal("Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.", outcomes[1].Error!.Message);
        Assert.NotNull(outcomes[2].Message);
        Assert.Equal(["a", "c"], (await ReceiveAsync("q")).Select(m => m.Body).Order().ToArray());
    }

    [Fact]
    public async Task Send_ManyConcurrent_EachStoredOnceWithItsOwnOutcome()
    {
        await CreateAsync("q");
        await CreateAsync("f.fifo", ("FifoQueue", "true"), ("ContentBasedDeduplication", "true"));
        var standard = Enumerable.Range(0, 100).Select(i => Task.Run(() => SendAsync("q", "m" + i)));
        var fifo = Enumerable.Range(0, 50).Select(i => Task.Run(() => SendAsync("f.fifo", "f" + i, group: "g")));
        var missing = Task.Run(() => SendAsync("none", "x"));
        var sent = await Task.WhenAll(standard.Concat(fifo));
        Assert.Equal(150, sent.Select(s => s.MessageId).Distinct().Count());
        Assert.Equal(50, sent.Where(s => s.SequenceNumber is not null).Select(s => s.SequenceNumber).Distinct().Count());
        Assert.Equal("100", await AttributeAsync("q", "ApproximateNumberOfMessages"));
        Assert.Equal("50", await AttributeAsync("f.fifo", "ApproximateNumberOfMessages"));
        Assert.Equal("AWS.SimpleQueueService.NonExistentQueue", (await Assert.ThrowsAsync<QueueException>(() => missing)).Code);
    }

    [Fact]
    public async Task Receive_ManyConcurrentConsumers_EachMessageDeliveredOnce()
    {
        await CreateAsync("q");
        await Engine.SendBatchAsync("q", Enumerable.Range(0, 10).Select(i => new OutgoingMessage { Body = "m" + i }).ToList(), CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(10, 90).Select(i => Task.Run(() => SendAsync("q", "m" + i))));
        var consumers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (true)
            {
                var batch = await ReceiveAsync("q", max: 7);
                if (batch.Count == 0)
                {
                    return mine;
                }

                mine.AddRange(batch.Select(m => m.Body));
                var errors = await Engine.DeleteMessageBatchAsync("q", batch.Select(m => m.ReceiptHandle).ToList(), CancellationToken.None);
                Assert.All(errors, Assert.Null);
            }
        }));
        var received = (await Task.WhenAll(consumers)).SelectMany(m => m).ToList();
        Assert.Equal(100, received.Count);
        Assert.Equal(100, received.Distinct().Count());
        Assert.Equal("0", await AttributeAsync("q", "ApproximateNumberOfMessages"));
        Assert.Equal("0", await AttributeAsync("q", "ApproximateNumberOfMessagesNotVisible"));
    }

    [Fact]
    public async Task FindByArn_ReturnsQueue()
    {
        await CreateAsync("q");
        var found = await Engine.FindByArnAsync("arn:aws:sqs:us-east-1:000000000000:q", CancellationToken.None);
        Assert.Equal("q", found!.Name);
        Assert.Null(await Engine.FindByArnAsync("arn:aws:sqs:us-east-1:111111111111:q", CancellationToken.None));
    }

    [Fact]
    public async Task DeleteQueue_Missing_ThrowsQueueDoesNotExist()
    {
        var ex = await Assert.ThrowsAsync<QueueException>(() => Engine.DeleteQueueAsync("none", CancellationToken.None).AsTask());
        Assert.Equal("AWS.SimpleQueueService.NonExistentQueue", ex.Code);
        Assert.Equal("The specified queue does not exist.", ex.Message);
    }
}
