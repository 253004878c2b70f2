using Kindling.Invocation.Environments;
using Kindling.Invocation.Tests.TestSupport;
using Kindling.Invocation.Workers;
using Microsoft.Extensions.Hosting;

namespace Kindling.Invocation.Tests.Workers;

public sealed class WorkerManagerReapingTests
{
    private static readonly WorkerManagerOptions Options = new()
    {
        KeepAlive = TimeSpan.FromMinutes(10),
        MaxLifetime = TimeSpan.FromHours(1),
        ReapInterval = TimeSpan.FromSeconds(5),
        HotWindow = TimeSpan.Zero,
    };

    [Fact]
    public async Task ReapAsync_IdleForLessThanTheKeepAlive_KeepsTheEnvironment()
    {
        await using var h = new ManagerHarness(options: Options);
        var environment = await h.InvokeToIdleAsync("f");

        h.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        await h.Manager.ReapAsync();

        Assert.Equal(1, h.Manager.GetCounts("f").Idle);
        Assert.Equal(["invoke", "freeze"], environment.Calls);
    }

    [Fact]
    public async Task ReapAsync_IdleForTheKeepAlive_ShutsItDownWithSpindown()
    {
        await using var h = new ManagerHarness(options: Options);
        var environment = await h.InvokeToIdleAsync("f");

        h.Time.Advance(TimeSpan.FromMinutes(10));
        await h.Manager.ReapAsync();

        Assert.Equal(["invoke", "freeze", "thaw", "shutdown:spindown", "dispose"], environment.Calls);
        Assert.Empty(h.Manager.GetAllCounts());
        Assert.Equal(0, h.Manager.ReservedBytes);
        Assert.Equal(0, h.Manager.EnvironmentCount);
    }

    [Fact]
    public async Task ReapAsync_OneEnvironmentUsedRecently_ReapsOnlyTheOther()
    {
        await using var h = new ManagerHarness(options: Options);
        var stale = await h.InvokeToIdleAsync("stale");
        h.Time.Advance(TimeSpan.FromMinutes(6));
        var fresh = await h.InvokeToIdleAsync("fresh");

        h.Time.Advance(TimeSpan.FromMinutes(6));
        await h.Manager.ReapAsync();

        Assert.Equal("spindown", await Eventually.Within(stale.ShutdownCalled.Task));
        Assert.False(fresh.ShutdownCalled.Task.IsCompleted);
        Assert.Equal(1, h.Manager.GetCounts("fresh").Idle);
        Assert.Equal(128 * ManagerHarness.Mb, h.Manager.ReservedBytes);
    }

    [Fact]
    public async Task ReapAsync_ANewerConfigurationHasColdStarted_ShutsDownTheOlderOnesIdleEnvironments()
    {
        await using var h = new ManagerHarness(options: Options);
        var old = await InvokeToIdleAsync(h, TestFunctions.Spec("f") with { PoolKey = "f:old" });
        var other = await h.InvokeToIdleAsync("g");
        var current = await InvokeToIdleAsync(h, TestFunctions.Spec("f") with { PoolKey = "f:new" });

        await h.Manager.ReapAsync();

        Assert.Equal("spindown", await Eventually.Within(old.ShutdownCalled.Task));
        Assert.False(current.ShutdownCalled.Task.IsCompleted);
        Assert.False(other.ShutdownCalled.Task.IsCompleted);
        Assert.Equal(1, h.Manager.GetCounts("f:new").Idle);
        Assert.Equal(1, h.Manager.GetCounts("g").Idle);
        Assert.Equal(0, h.Manager.GetCounts("f:old").Idle);
        Assert.Equal(2 * 128 * ManagerHarness.Mb, h.Manager.ReservedBytes);
    }

    [Fact]
    public async Task ReapAsync_TheOlderConfigurationColdStartsAgain_IsCurrentAgainAndTheNewerOneGoes()
    {
        await using var h = new ManagerHarness(options: Options);
        var first = await InvokeToIdleAsync(h, TestFunctions.Spec("f") with { PoolKey = "f:a" });
        var second = await InvokeToIdleAsync(h, TestFunctions.Spec("f") with { PoolKey = "f:b" });
        await h.Manager.ReapAsync();
        Assert.Equal("spindown", await Eventually.Within(first.ShutdownCalled.Task));

        // Back to the first configuration (an update undone): its new environment is current, the other's goes.
        var again = await InvokeToIdleAsync(h, TestFunctions.Spec("f") with { PoolKey = "f:a" });
        await h.Manager.ReapAsync();

        Assert.Equal("spindown", await Eventually.Within(second.ShutdownCalled.Task));
        Assert.False(again.ShutdownCalled.Task.IsCompleted);
        Assert.Equal(1, h.Manager.GetCounts("f:a").Idle);
    }

    private static async Task<FakeEnvironment> InvokeToIdleAsync(ManagerHarness h, FunctionSpec spec)
    {
        var task = h.Manager.InvokeAsync(spec, TestFunctions.Request(), CancellationToken.None);
        var invocation = await h.Factory.NextInvocationAsync();
        invocation.Complete();
        await Eventually.Within(task);
        await h.UntilSettledAsync();
        return invocation.Environment;
    }

    [Fact]
    public async Task ReapAsync_OlderThanTheMaximumLifetime_ShutsItDownThoughRecentlyUsed()
    {
        await using var h = new ManagerHarness(options: Options);
        var environment = await h.InvokeToIdleAsync("f");
        for (var i = 0; i < 11; i++)
        {
            h.Time.Advance(TimeSpan.FromMinutes(5));
            Assert.Same(environment, await h.InvokeToIdleAsync("f"));
            await h.Manager.ReapAsync();
        }

        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.Manager.ReapAsync();

        Assert.Equal("spindown", await Eventually.Within(environment.ShutdownCalled.Task));
        Assert.Empty(h.Manager.GetAllCounts());
    }

    [Fact]
    public async Task InvokeAsync_EnvironmentPassesTheMaximumLifetimeWhileBusy_ShutsItDownInsteadOfParking()
    {
        await using var h = new ManagerHarness(options: Options);
        var (task, invocation) = await h.StartAsync("f");

        h.Time.Advance(TimeSpan.FromHours(1));
        invocation.Complete();
        await Eventually.Within(task);

        Assert.Equal("spindown", await Eventually.Within(invocation.Environment.ShutdownCalled.Task));
        await Eventually.Within(invocation.Environment.Disposed.Task);
        Assert.Equal(["invoke", "shutdown:spindown", "dispose"], invocation.Environment.Calls);
    }

    [Fact]
    public async Task Reaper_TimerTicksOnTheTimeProvider_ReapsWithOneTimer()
    {
        await using var h = new ManagerHarness(options: Options);
        var reaper = new WorkerManagerReaper(h.Manager, h.Options, h.Time);
        await reaper.StartAsync(CancellationToken.None);
        var environment = await h.InvokeToIdleAsync("f");
        var other = await h.InvokeToIdleAsync("g");
        Assert.Equal(1, h.Time.TimerCount);

        h.Time.Advance(TimeSpan.FromMinutes(10) + Options.ReapInterval);

        Assert.Equal("spindown", await Eventually.Within(environment.ShutdownCalled.Task));
        Assert.Equal("spindown", await Eventually.Within(other.ShutdownCalled.Task));
        await reaper.StopAsync(CancellationToken.None);
        Assert.Equal(0, h.Time.TimerCount);
        reaper.Dispose();
    }

    [Fact]
    public async Task Reaper_HostStops_ShutsTheManagerDown()
    {
        await using var h = new ManagerHarness(options: Options);
        IHostedService reaper = new WorkerManagerReaper(h.Manager, h.Options, h.Time);
        await reaper.StartAsync(CancellationToken.None);
        var environment = await h.InvokeToIdleAsync("f");

        await reaper.StopAsync(CancellationToken.None);

        Assert.Equal(["invoke", "freeze", "thaw", "shutdown:spindown", "dispose"], environment.Calls);
        var error = await Assert.ThrowsAsync<CapacityExceededException>(() => h.Invoke("f"));
        Assert.Equal("Kindling is shutting down and accepts no new invocations.", error.Message);
    }
}
