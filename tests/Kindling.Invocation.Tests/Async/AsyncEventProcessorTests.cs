using System.Text.Json;
using Kindling.Functions.Model;
using Kindling.Functions.Services;

namespace Kindling.Invocation.Tests.Async;

public sealed class AsyncEventProcessorTests
{
    [Fact]
    public async Task ProcessAsync_Success_DeliversTheSuccessRecordAndDeletesTheEvent()
    {
        await using var h = new AsyncHarness();
        await h.CreateFunctionAsync("f");
        var arn = await h.CreateQueueAsync("ok");
        await PutConfigAsync(h, "f", new EventInvokeConfigRequest(null, null, new DestinationConfig(new DestinationTarget(arn), null)));
        Assert.Equal(202, (await h.SendEventAsync("f", "{\"k\":1}")).StatusCode);
        h.Workers.Succeed("{\"r\":2}");

        Assert.Equal(1, await h.ProcessVisibleAsync());

        var record = JsonDocument.Parse(Assert.Single(await h.DrainAsync("ok")).Body).RootElement;
        Assert.Equal("Success", record.GetProperty("requestContext").GetProperty("condition").GetString());
        Assert.Equal("req-1", record.GetProperty("requestContext").GetProperty("requestId").GetString());
        Assert.Equal("{\"r\":2}", record.GetProperty("responsePayload").GetRawText());
        Assert.Equal("req-1", Assert.Single(h.Workers.Invoked).RequestId);
        h.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await h.ProcessVisibleAsync());
    }

    [Fact]
    public async Task ProcessAsync_FunctionError_RetriesAfterOneThenTwoMinutesThenFails()
    {
        await using var h = new AsyncHarness();
        await h.CreateFunctionAsync("f");
        var arn = await h.CreateQueueAsync("failed");
        await PutConfigAsync(h, "f", new EventInvokeConfigRequest(null, null, new DestinationConfig(null, new DestinationTarget(arn))));
        await h.SendEventAsync("f", "{}");
        h.Workers.Fail("one");
        h.Workers.Fail("two");
        h.Workers.Fail("three");

        Assert.Equal(1, await h.ProcessVisibleAsync());
        h.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await h.ProcessVisibleAsync());
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await h.ProcessVisibleAsync());
        h.Time.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(0, await h.ProcessVisibleAsync());
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await h.ProcessVisibleAsync());

        var context = JsonDocument.Parse(Assert.Single(await h.DrainAsync("failed")).Body).RootElement.GetProperty("requestContext");
        Assert.Equal(("RetriesExhausted", 3), (context.GetProperty("condition").GetString(), context.GetProperty("approximateInvokeCount").GetInt32()));
        Assert.Equal(3, h.Workers.Invoked.Count);
    }

    [Fact]
    public async Task ProcessAsync_Throttled_BacksOffWithoutConsumingRetries()
    {
        await using var h = new AsyncHarness();
        await h.CreateFunctionAsync("f");
        var arn = await h.CreateQueueAsync("failed");
        await PutConfigAsync(h, "f", new EventInvokeConfigRequest(0, null, new DestinationConfig(null, new DestinationTarget(arn))));
        await h.SendEventAsync("f", "{}");
        h.Workers.Throttle();
        h.Workers.Throttle();
        h.Workers.Succeed("null");

        Assert.Equal(1, await h.ProcessVisibleAsync());
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await h.ProcessVisibleAsync());
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, await h.ProcessVisibleAsync());
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await h.ProcessVisibleAsync());

        Assert.Equal(3, h.Workers.Invoked.Count);
        Assert.Empty(await h.DrainAsync("failed"));
    }

    [Fact]
    public async Task ProcessAsync_OlderThanMaximumAge_GoesToTheDeadLetterQueueUninvoked()
    {
        await using var h = new AsyncHarness();
        await h.CreateFunctionAsync("f");
        var arn = await h.CreateQueueAsync("dlq");
        await h.Get<FunctionService>().UpdateConfigurationAsync(
            "f", new UpdateFunctionConfigurationRequest { DeadLetterConfig = new DeadLetterConfig(arn) }, CancellationToken.None);
        await h.ReconcileAsync("f");
        await PutConfigAsync(h, "f", new EventInvokeConfigRequest(null, 60, null));
        await h.SendEventAsync("f", "{\"old\":true}");
        h.Time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(1, await h.ProcessVisibleAsync());

        var message = Assert.Single(await h.DrainAsync("dlq"));
        Assert.Equal("{\"old\":true}", message.Body);
        Assert.Equal(("req-1", "429"), (message.Attributes["RequestID"].StringValue, message.Attributes["ErrorCode"].StringValue));
        Assert.Empty(h.Workers.Invoked);
    }

    [Fact]
    public async Task ProcessAsync_FunctionDeleted_DropsTheEvent()
    {
        await using var h = new AsyncHarness();
        await h.CreateFunctionAsync("f");
        await h.SendEventAsync("f", "{}");
        await h.Get<FunctionService>().DeleteAsync("f", null, CancellationToken.None);

        Assert.Equal(1, await h.ProcessVisibleAsync());
        h.Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, await h.ProcessVisibleAsync());
        Assert.Empty(h.Workers.Invoked);
    }

    private static Task PutConfigAsync(AsyncHarness h, string function, EventInvokeConfigRequest request) =>
        h.Get<EventInvokeConfigService>().PutAsync(function, null, request, merge: false, CancellationToken.None);
}
