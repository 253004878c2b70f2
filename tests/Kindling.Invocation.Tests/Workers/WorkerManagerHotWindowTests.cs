using Kindling.Invocation.Tests.TestSupport;
using Kindling.Invocation.Workers;

namespace Kindling.Invocation.Tests.Workers;

public sealed class WorkerManagerHotWindowTests
{
    private static readonly WorkerManagerOptions Options = new() { HotWindow = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public async Task Released_StaysThawedForTheWindow_ThenFreezes()
    {
        await using var h = new ManagerHarness(options: Options);

        var environment = await h.InvokeToIdleAsync("f");

        Assert.False(environment.Frozen);
        Assert.Equal(["invoke"], environment.Calls);
        Assert.Equal(new WorkerPoolCounts(Idle: 1, Busy: 0, Freezing: 0, Starting: 0, Waiting: 0), h.Manager.GetCounts("f"));
        h.Time.Advance(TimeSpan.FromMilliseconds(19));
        Assert.False(environment.Frozen);

        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.UntilAsync(() => environment.Frozen, "the environment frozen after the hot window");
        await h.UntilSettledAsync();
        Assert.Equal(["invoke", "freeze"], environment.Calls);
        Assert.Equal(new WorkerPoolCounts(Idle: 1, Busy: 0, Freezing: 0, Starting: 0, Waiting: 0), h.Manager.GetCounts("f"));
        Assert.Equal(0, environment.Violations);
    }

    [Fact]
    public async Task InvokedWithinTheWindow_RunsWithNoFreezeOrThaw_AndTheOldFreezeIsDropped()
    {
        await using var h = new ManagerHarness(options: Options);
        var environment = await h.InvokeToIdleAsync("f");

        h.Time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Same(environment, await h.InvokeToIdleAsync("f"));
        // The first parking's window ends now: it must not freeze the environment parked again 10 ms ago.
        h.Time.Advance(TimeSpan.FromMilliseconds(10));
        await Task.Delay(50);
        Assert.Equal(["invoke", "invoke"], environment.Calls);
        Assert.False(environment.Frozen);

        h.Time.Advance(TimeSpan.FromMilliseconds(10));
        await Eventually.UntilAsync(() => environment.Frozen, "the environment frozen after its second window");
        await h.UntilSettledAsync();
        Assert.Equal(1, h.Manager.ColdStarts);
        Assert.Equal(0, environment.Violations);

        // A frozen one is thawed before its next invocation, as always.
        Assert.Same(environment, await h.InvokeToIdleAsync("f"));
        Assert.Equal(["invoke", "invoke", "freeze", "thaw", "invoke"], environment.Calls);
    }

    [Fact]
    public async Task ThawedIdleEnvironment_IsEvictedAndShutDownLikeAFrozenOne()
    {
        await using var h = new ManagerHarness(budgetMb: 256, options: Options);
        var environment = await h.InvokeToIdleAsync("f", memoryMb: 128);

        await h.InvokeToIdleAsync("g", memoryMb: 256);

        await Eventually.UntilAsync(() => environment.Calls.Contains("shutdown:spindown"), "the thawed idle environment evicted");
        Assert.DoesNotContain("freeze", environment.Calls);
        Assert.Equal(1, h.Manager.Evictions);
        Assert.Equal(0, environment.Violations);
    }
}
