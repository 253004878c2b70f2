using Kindling.Invocation.Environments;
using Kindling.Invocation.Tests.TestSupport;

namespace Kindling.Invocation.Tests.Workers;

public sealed class WorkerManagerShutdownTests
{
    [Fact]
    public async Task ShutdownAsync_IdleEnvironments_ShutsThemAllDownInParallel()
    {
        await using var h = new ManagerHarness();
        var environments = new List<FakeEnvironment>();
        foreach (var name in new[] { "a", "b", "c" })
        {
            environments.Add(await h.InvokeToIdleAsync(name));
        }

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        environments.ForEach(e => e.ShutdownGate = gate);

        var shutdown = h.Manager.ShutdownAsync(CancellationToken.None);

        // All three are inside ShutdownAsync at once: none waits for another to finish.
        await Eventually.Within(Task.WhenAll(environments.Select(e => e.ShutdownCalled.Task)));
        Assert.False(shutdown.IsCompleted);
        gate.SetResult();
        await Eventually.Within(shutdown);
        Assert.All(environments, e => Assert.Equal(["invoke", "freeze", "thaw", "shutdown:spindown", "dispose"], e.Calls));
        Assert.Equal(0, h.Manager.ReservedBytes);
        Assert.Equal(0, h.Manager.EnvironmentCount);
    }

    [Fact]
    public async Task ShutdownAsync_InvocationRunning_WaitsForItThenShutsItsEnvironmentDown()
    {
        await using var h = new ManagerHarness();
        var (task, invocation) = await h.StartAsync("f");

        var shutdown = h.Manager.ShutdownAsync(CancellationToken.None);

        var refused = await Assert.ThrowsAsync<CapacityExceededException>(() => h.Invoke("g"));
        Assert.Equal("Kindling is shutting down and accepts no new invocations.", refused.Message);
        Assert.False(shutdown.IsCompleted);
        Assert.False(invocation.Environment.ShutdownCalled.Task.IsCompleted);
        invocation.Complete();
        await Eventually.Within(task);
        await Eventually.Within(shutdown);
        Assert.Equal(["invoke", "shutdown:spindown", "dispose"], invocation.Environment.Calls);
        Assert.Equal(0, h.Manager.ReservedBytes);
    }

    [Fact]
    public async Task ShutdownAsync_LastInvocationEndsWhileStopping_CompletesOnlyAfterItsEnvironmentIsShutDown()
    {
        // The last environment leaving the live set lets the stop go on to wait for background work, on another
        // thread: its shutdown must already be counted then. A race, so many rounds (it showed ~1 in 2,500).
        const int Rounds = 20_000;
        var early = 0;
        for (var i = 0; i < Rounds; i++)
        {
            await using var h = new ManagerHarness();
            var (task, invocation) = await h.StartAsync("f");
            var shutdown = h.Manager.ShutdownAsync(CancellationToken.None);
            invocation.Complete();
            await Eventually.Within(task);
            await Eventually.Within(shutdown);
            if (invocation.Environment.Calls is not ["invoke", "shutdown:spindown", "dispose"])
            {
                early++;
            }
        }

        Assert.Equal(0, early);
    }

    [Fact]
    public async Task ShutdownAsync_DeadlinePasses_ShutsDownEnvironmentsStillRunningOnce()
    {
        await using var h = new ManagerHarness();
        var (task, invocation) = await h.StartAsync("f");
        using var deadline = new CancellationTokenSource();

        var shutdown = h.Manager.ShutdownAsync(deadline.Token);
        await deadline.CancelAsync();

        Assert.Equal("spindown", await Eventually.Within(invocation.Environment.ShutdownCalled.Task));
        invocation.Complete();
        await Eventually.Within(task);
        await Eventually.Within(shutdown);
        Assert.Equal(["invoke", "shutdown:spindown", "dispose"], invocation.Environment.Calls);
        Assert.Equal(0, h.Manager.ReservedBytes);
    }

    [Fact]
    public async Task ShutdownAsync_InvocationWaitingForALaunch_FailsItAndShutsTheLateEnvironmentDown()
    {
        await using var h = new ManagerHarness();
        var launch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Factory.Gate = _ => launch.Task;
        var task = h.Invoke("f");
        await Eventually.UntilAsync(() => h.Factory.CreateCalls == 1, "the launch");

        var shutdown = h.Manager.ShutdownAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<CapacityExceededException>(() => Eventually.Within(task));
        Assert.Equal("Kindling is shutting down and accepts no new invocations.", error.Message);
        await Eventually.Within(shutdown);
        Assert.Equal(0, h.Manager.ReservedBytes);
        Assert.Empty(h.Factory.Created);
    }
}
