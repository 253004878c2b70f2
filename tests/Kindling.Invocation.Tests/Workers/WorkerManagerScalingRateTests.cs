using Kindling.Invocation.Environments;
using Kindling.Invocation.Tests.TestSupport;
using Kindling.Invocation.Workers;

namespace Kindling.Invocation.Tests.Workers;

public sealed class WorkerManagerScalingRateTests
{
    private static readonly WorkerManagerOptions Options = new() { ScaleUpLimit = 2, HotWindow = TimeSpan.Zero };

    [Fact]
    public async Task InvokeAsync_OneMoreColdStartThanTheRate_ThrottlesTheLast()
    {
        await using var h = new ManagerHarness(options: Options);
        var (first, a) = await h.StartAsync("f");
        var (second, b) = await h.StartAsync("f");

        var throttled = await Assert.ThrowsAsync<ScalingRateExceededException>(() => h.Invoke("f"));

        Assert.Equal("Function f has reached its scaling rate of 2 new execution environments per 10 seconds.", throttled.Message);
        Assert.Equal("f", throttled.FunctionName);
        Assert.Equal(2, h.Factory.CreateCalls);
        Assert.Equal(new WorkerPoolCounts(Idle: 0, Busy: 2, Freezing: 0, Starting: 0, Waiting: 0), h.Manager.GetCounts("f"));
        a.Complete();
        b.Complete();
        await Eventually.Within(Task.WhenAll(first, second));
    }

    [Fact]
    public async Task InvokeAsync_AfterTheRateRefills_AllowsANewEnvironmentPerTenthOfTheWindow()
    {
        await using var h = new ManagerHarness(options: Options);
        var (first, a) = await h.StartAsync("f");
        var (second, b) = await h.StartAsync("f");
        await Assert.ThrowsAsync<ScalingRateExceededException>(() => h.Invoke("f"));

        h.Time.Advance(TimeSpan.FromSeconds(5));
        var (third, c) = await h.StartAsync("f");
        await Assert.ThrowsAsync<ScalingRateExceededException>(() => h.Invoke("f"));

        Assert.Equal(3, h.Manager.ColdStarts);
        foreach (var invocation in new[] { a, b, c })
        {
            invocation.Complete();
        }

        await Eventually.Within(Task.WhenAll(first, second, third));
    }

    [Fact]
    public async Task InvokeAsync_UnusedRate_DoesNotAccumulateBeyondTheLimit()
    {
        await using var h = new ManagerHarness(options: Options);
        h.Time.Advance(TimeSpan.FromMinutes(5));

        var (first, a) = await h.StartAsync("f");
        var (second, b) = await h.StartAsync("f");

        await Assert.ThrowsAsync<ScalingRateExceededException>(() => h.Invoke("f"));
        a.Complete();
        b.Complete();
        await Eventually.Within(Task.WhenAll(first, second));
    }

    [Fact]
    public async Task InvokeAsync_EnvironmentFreeOrBeingFreed_IsNotThrottled()
    {
        await using var h = new ManagerHarness(options: Options);
        await h.InvokeToIdleAsync("f");
        var (first, a) = await h.StartAsync("f");
        var (second, b) = await h.StartAsync("f");
        await Assert.ThrowsAsync<ScalingRateExceededException>(() => h.Invoke("f"));

        // Warm environments serve without using the rate.
        a.Complete();
        await Eventually.Within(first);
        await Eventually.UntilAsync(() => h.Manager.GetCounts("f").Idle == 1, "an environment to be idle");
        var (third, c) = await h.StartAsync("f");

        Assert.Same(a.Environment, c.Environment);
        b.Complete();
        c.Complete();
        await Eventually.Within(Task.WhenAll(second, third));
    }

    [Fact]
    public async Task InvokeAsync_RateIsPerFunction_SharedByItsVersionsAndNotByOtherFunctions()
    {
        await using var h = new ManagerHarness(options: Options);
        var version2 = TestFunctions.Spec("f") with { Version = "2", PoolKey = "f:2" };
        var (first, a) = await h.StartAsync("f");
        var second = h.Manager.InvokeAsync(version2, TestFunctions.Request(), CancellationToken.None);
        var b = await h.Factory.NextInvocationAsync();

        await Assert.ThrowsAsync<ScalingRateExceededException>(() => h.Manager.InvokeAsync(version2, TestFunctions.Request(), CancellationToken.None));
        var (third, c) = await h.StartAsync("g");

        Assert.Equal("g", c.Environment.Function.FunctionName);
        foreach (var invocation in new[] { a, b, c })
        {
            invocation.Complete();
        }

        await Eventually.Within(Task.WhenAll(first, second, third));
    }

    [Fact]
    public async Task SetProvisionedConcurrency_MoreThanTheRate_LaunchesAllAndLeavesTheRateForOnDemand()
    {
        await using var h = new ManagerHarness(options: Options);
        h.Manager.SetProvisionedConcurrency(TestFunctions.Spec("f"), 5);
        await Eventually.UntilAsync(
            () => h.Manager.GetProvisionedCounts("f").Allocated == 5 && h.Manager.GetCounts("f") is { Idle: 5, Freezing: 0 },
            "five provisioned environments to be idle");
        var running = new List<(Task<InvocationResult> Task, FakeInvocation Invocation)>();
        for (var i = 0; i < 7; i++)
        {
            running.Add(await h.StartAsync("f"));
        }

        await Assert.ThrowsAsync<ScalingRateExceededException>(() => h.Invoke("f"));
        Assert.Equal(2, h.Manager.ColdStarts);
        Assert.Equal(5, h.Manager.ProvisionedLaunches);
        foreach (var (_, invocation) in running)
        {
            invocation.Complete();
        }

        await Eventually.Within(Task.WhenAll(running.Select(r => r.Task)));
    }
}
