using Kindling.Invocation.Environments;
using Kindling.Invocation.Tests.TestSupport;
using Kindling.Invocation.Workers;

namespace Kindling.Invocation.Tests.Workers;

public sealed class WorkerManagerPlacementTests
{
    [Fact]
    public async Task InvokeAsync_HostFullOfBusyEnvironments_ThrowsCapacityExceededNamingTheBudget()
    {
        await using var h = new ManagerHarness(budgetMb: 1024);
        var (first, onFirst) = await h.StartAsync("f", 512);
        var (second, onSecond) = await h.StartAsync("g", 512);

        var other = await Assert.ThrowsAsync<CapacityExceededException>(() => Eventually.Within(h.Invoke("h", 512)));
        var same = await Assert.ThrowsAsync<CapacityExceededException>(() => Eventually.Within(h.Invoke("f", 512)));

        const string Expected = "Kindling cannot place a new 512 MB execution environment: 1024 MB of 1024 MB are held by busy and provisioned environments.";
        Assert.Equal(Expected, other.Message);
        Assert.Equal(Expected, same.Message);
        Assert.Equal(2, h.Factory.CreateCalls);
        Assert.Equal(1024 * ManagerHarness.Mb, h.Manager.ReservedBytes);
        Assert.Equal(new WorkerPoolCounts(Idle: 0, Busy: 1, Freezing: 0, Starting: 0, Waiting: 0), h.Manager.GetCounts("f"));
        onFirst.Complete();
        onSecond.Complete();
        await Eventually.Within(Task.WhenAll(first, second));
        Assert.Equal(0, h.Manager.Evictions);
    }

    [Fact]
    public async Task InvokeAsync_LargerThanTheWholeBudget_ThrowsCapacityExceeded()
    {
        await using var h = new ManagerHarness(budgetMb: 1024);

        var error = await Assert.ThrowsAsync<CapacityExceededException>(() => Eventually.Within(h.Invoke("f", 2048)));

        Assert.Equal("Kindling cannot place a new 2048 MB execution environment: the host's budget for execution environments is 1024 MB.", error.Message);
        Assert.Equal(0, h.Factory.CreateCalls);
    }

    [Fact]
    public async Task InvokeAsync_HostFullWithIdleEnvironmentsOfOtherFunctions_EvictsTheLeastRecentlyUsedFirst()
    {
        await using var h = new ManagerHarness(budgetMb: 1536);
        var f1 = await h.InvokeToIdleAsync("f1", 512);
        var f2 = await h.InvokeToIdleAsync("f2", 512);
        var f3 = await h.InvokeToIdleAsync("f3", 512);
        Assert.Same(f1, await h.InvokeToIdleAsync("f1", 512));

        await h.InvokeToIdleAsync("f4", 512);

        Assert.Equal(["invoke", "freeze", "thaw", "shutdown:spindown", "dispose"], f2.Calls);
        Assert.False(f1.ShutdownCalled.Task.IsCompleted);
        Assert.False(f3.ShutdownCalled.Task.IsCompleted);
        Assert.Equal(1, h.Manager.Evictions);

        await h.InvokeToIdleAsync("f5", 512);

        Assert.Equal("spindown", await Eventually.Within(f3.ShutdownCalled.Task));
        Assert.False(f1.ShutdownCalled.Task.IsCompleted);
        Assert.Equal(2, h.Manager.Evictions);
        Assert.Equal(1536 * ManagerHarness.Mb, h.Manager.ReservedBytes);
        Assert.Equal(["f1", "f4", "f5"], h.Manager.GetAllCounts().Keys.Order());
    }

    [Fact]
    public async Task InvokeAsync_EvictionNeedsSeveralEnvironments_EvictsJustEnough()
    {
        await using var h = new ManagerHarness(budgetMb: 1024);
        var small = new List<FakeEnvironment>();
        for (var i = 0; i < 4; i++)
        {
            small.Add(await h.InvokeToIdleAsync("s" + i, 256));
        }

        await h.InvokeToIdleAsync("big", 512);

        Assert.Equal(2, h.Manager.Evictions);
        Assert.True(small[0].ShutdownCalled.Task.IsCompleted);
        Assert.True(small[1].ShutdownCalled.Task.IsCompleted);
        Assert.False(small[2].ShutdownCalled.Task.IsCompleted);
        Assert.False(small[3].ShutdownCalled.Task.IsCompleted);
        Assert.Equal(1024 * ManagerHarness.Mb, h.Manager.ReservedBytes);
    }

    [Fact]
    public async Task InvokeAsync_IdleEnvironmentsCannotMakeEnoughRoom_RefusesWithoutEvictingThem()
    {
        await using var h = new ManagerHarness(budgetMb: 1024);
        var idle = await h.InvokeToIdleAsync("idle", 256);
        var (busy, onBusy) = await h.StartAsync("busy", 512);

        var error = await Assert.ThrowsAsync<CapacityExceededException>(() => Eventually.Within(h.Invoke("new", 768)));

        Assert.Equal(
            "Kindling cannot place a new 768 MB execution environment: 512 MB of 1024 MB are held by busy and provisioned environments, and evicting the 256 MB of idle environments of other functions would not make room.",
            error.Message);
        Assert.False(idle.ShutdownCalled.Task.IsCompleted);
        Assert.Equal(0, h.Manager.Evictions);
        onBusy.Complete();
        await Eventually.Within(busy);
    }

    [Fact]
    public async Task InvokeAsync_ParallelColdStartsOnAFullHost_EachEvictsForItselfAndAccountingStaysExact()
    {
        await using var h = new ManagerHarness(budgetMb: 1280);
        for (var i = 0; i < 10; i++)
        {
            await h.InvokeToIdleAsync("old" + i);
        }

        h.Factory.AutoComplete = true;
        await Eventually.Within(Task.WhenAll(Enumerable.Range(0, 10).Select(i => h.Invoke("new" + i))));
        await h.UntilSettledAsync();

        Assert.Equal(10, h.Manager.Evictions);
        Assert.Equal(1280 * ManagerHarness.Mb, h.Manager.ReservedBytes);
        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal(1, h.Manager.GetCounts("new" + i).Idle));
        Assert.All(h.Factory.Created.Where(e => e.Function.PoolKey.StartsWith("old", StringComparison.Ordinal)), e => Assert.Equal("dispose", e.Calls[^1]));
    }
}
