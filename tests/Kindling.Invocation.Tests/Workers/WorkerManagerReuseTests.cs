using Kindling.Invocation.Environments;
using Kindling.Invocation.Tests.TestSupport;
using Kindling.Invocation.Workers;

namespace Kindling.Invocation.Tests.Workers;

public sealed class WorkerManagerReuseTests
{
    [Fact]
    public async Task InvokeAsync_NoEnvironment_ColdStartsOneAndParksItFrozen()
    {
        await using var h = new ManagerHarness();

        var (task, invocation) = await h.StartAsync("f");
        Assert.Equal(new WorkerPoolCounts(Idle: 0, Busy: 1, Freezing: 0, Starting: 0, Waiting: 0), h.Manager.GetCounts("f"));
        invocation.Complete();
        var result = await Eventually.Within(task);
        await h.UntilSettledAsync();

        Assert.Equal("{}", System.Text.Encoding.UTF8.GetString(result.Payload.Span));
        Assert.Equal(1, h.Manager.ColdStarts);
        Assert.Equal([InitializationType.OnDemand], h.Factory.InitializationTypes);
        Assert.Equal(new WorkerPoolCounts(Idle: 1, Busy: 0, Freezing: 0, Starting: 0, Waiting: 0), h.Manager.GetCounts("f"));
        Assert.Equal(["invoke", "freeze"], invocation.Environment.Calls);
        Assert.True(invocation.Environment.Frozen);
        Assert.Equal(128 * ManagerHarness.Mb, h.Manager.ReservedBytes);
    }

    [Fact]
    public async Task InvokeAsync_NoEnvironment_TheColdStartBeginsOnTheCallersThread()
    {
        await using var h = new ManagerHarness();

        var task = h.Invoke("f");
        // Before this test awaits anything: the launch was not queued to the thread pool.
        var createdAtOnce = h.Factory.CreateCalls;
        (await h.Factory.NextInvocationAsync()).Complete();
        await Eventually.Within(task);

        Assert.Equal(1, createdAtOnce);
        Assert.Equal(1, h.Manager.ColdStarts);
    }

    [Fact]
    public async Task InvokeAsync_WarmEnvironment_ThawsAndReusesIt()
    {
        await using var h = new ManagerHarness();

        var first = await h.InvokeToIdleAsync("f");
        var second = await h.InvokeToIdleAsync("f");
        var third = await h.InvokeToIdleAsync("f");

        Assert.Same(first, second);
        Assert.Same(first, third);
        Assert.Equal(1, h.Manager.ColdStarts);
        Assert.Equal(["invoke", "freeze", "thaw", "invoke", "freeze", "thaw", "invoke", "freeze"], first.Calls);
        Assert.Equal(0, first.Violations);
    }

    [Fact]
    public async Task InvokeAsync_TwoEnvironmentsReleasedInOrder_ReusesTheMostRecentlyUsed()
    {
        await using var h = new ManagerHarness();
        var (taskA, onA) = await h.StartAsync("f");
        var (taskB, onB) = await h.StartAsync("f");
        Assert.NotSame(onA.Environment, onB.Environment);

        onA.Complete();
        await Eventually.Within(taskA);
        await Eventually.UntilAsync(() => h.Manager.GetCounts("f").Idle == 1, "A to be idle");
        onB.Complete();
        await Eventually.Within(taskB);
        await h.UntilSettledAsync();
        var (taskNext, onNext) = await h.StartAsync("f");

        Assert.Same(onB.Environment, onNext.Environment);
        Assert.Equal(new WorkerPoolCounts(Idle: 1, Busy: 1, Freezing: 0, Starting: 0, Waiting: 0), h.Manager.GetCounts("f"));
        onNext.Complete();
        await Eventually.Within(taskNext);
    }

    [Fact]
    public async Task InvokeAsync_EnvironmentBusy_RunsTheNextInvocationOnAnotherEnvironment()
    {
        await using var h = new ManagerHarness();
        var (first, onFirst) = await h.StartAsync("f");

        var (second, onSecond) = await h.StartAsync("f");

        Assert.NotSame(onFirst.Environment, onSecond.Environment);
        Assert.Equal(2, h.Manager.ColdStarts);
        Assert.Equal(new WorkerPoolCounts(Idle: 0, Busy: 2, Freezing: 0, Starting: 0, Waiting: 0), h.Manager.GetCounts("f"));
        onFirst.Complete();
        onSecond.Complete();
        await Eventually.Within(Task.WhenAll(first, second));
        Assert.All(h.Factory.Created, e => Assert.Equal(0, e.Violations));
    }

    [Fact]
    public async Task InvokeAsync_EnvironmentReleasedWhileAnInvocationWaits_HandsItOverWithoutFreezing()
    {
        await using var h = new ManagerHarness();
        var secondLaunch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Factory.Gate = n => n == 2 ? secondLaunch.Task : Task.CompletedTask;
        var (first, onFirst) = await h.StartAsync("f");
        var second = h.Invoke("f");
        await Eventually.UntilAsync(() => h.Factory.CreateCalls == 2, "the second launch");
        Assert.Equal(new WorkerPoolCounts(Idle: 0, Busy: 1, Freezing: 0, Starting: 1, Waiting: 1), h.Manager.GetCounts("f"));

        onFirst.Complete();
        await Eventually.Within(first);
        var onSecond = await h.Factory.NextInvocationAsync();

        Assert.Same(onFirst.Environment, onSecond.Environment);
        Assert.Equal(["invoke", "invoke"], onFirst.Environment.Calls);
        Assert.Equal(1, h.Manager.HandOffs);
        secondLaunch.SetResult();
        await Eventually.UntilAsync(() => h.Manager.GetCounts("f") is { Idle: 1, Busy: 1, Starting: 0 }, "the late launch to park");
        onSecond.Complete();
        await Eventually.Within(second);
        await h.UntilSettledAsync();
        Assert.Equal(2, h.Manager.ColdStarts);
        Assert.Equal(2, h.Manager.GetCounts("f").Idle);
        var late = Assert.Single(h.Factory.Created, e => e != onFirst.Environment);
        Assert.Equal(["freeze"], late.Calls);
    }

    [Fact]
    public async Task InvokeAsync_EnvironmentNotReusableAfterwards_ShutsItDownWithFailureAndNeverReusesIt()
    {
        await using var h = new ManagerHarness();
        var (task, invocation) = await h.StartAsync("f");
        invocation.Environment.IsReusable = false;
        invocation.Complete();
        await Eventually.Within(task);
        await Eventually.Within(invocation.Environment.Disposed.Task);

        Assert.Equal(["invoke", "shutdown:failure", "dispose"], invocation.Environment.Calls);
        await Eventually.UntilAsync(() => h.Manager.ReservedBytes == 0, "the reservation to be released");
        Assert.Equal(default, h.Manager.GetCounts("f"));
        var next = await h.InvokeToIdleAsync("f");
        Assert.NotSame(invocation.Environment, next);
        Assert.Equal(2, h.Manager.ColdStarts);
    }

    [Fact]
    public async Task InvokeAsync_EnvironmentThrows_PropagatesTheErrorAndShutsItDown()
    {
        await using var h = new ManagerHarness();
        var (task, invocation) = await h.StartAsync("f");

        invocation.Fail(new InvalidOperationException("Runtime API broke."));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Eventually.Within(task));
        Assert.Equal("Runtime API broke.", error.Message);
        Assert.Equal("failure", await Eventually.Within(invocation.Environment.ShutdownCalled.Task));
        await Eventually.UntilAsync(() => h.Manager.ReservedBytes == 0, "the reservation to be released");
    }

    [Fact]
    public async Task InvokeAsync_LaunchFails_ThrowsTheLaunchErrorAndReleasesTheMemory()
    {
        await using var h = new ManagerHarness();
        h.Factory.LaunchFailure = new EnvironmentLaunchException("bubblewrap is missing.");

        var error = await Assert.ThrowsAsync<EnvironmentLaunchException>(() => Eventually.Within(h.Invoke("f")));

        Assert.Equal("bubblewrap is missing.", error.Message);
        Assert.Equal(0, h.Manager.ReservedBytes);
        Assert.Equal(0, h.Manager.ColdStarts);
        Assert.Empty(h.Manager.GetAllCounts());
    }

    [Fact]
    public async Task InvokeAsync_CancelledWhileWaitingForALaunch_ThrowsAndParksTheNewEnvironment()
    {
        await using var h = new ManagerHarness();
        var launch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Factory.Gate = _ => launch.Task;
        using var cancellation = new CancellationTokenSource();
        var task = h.Invoke("f", cancellationToken: cancellation.Token);
        await Eventually.UntilAsync(() => h.Factory.CreateCalls == 1, "the launch");

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Within(task));
        Assert.Equal(new WorkerPoolCounts(Idle: 0, Busy: 0, Freezing: 0, Starting: 1, Waiting: 0), h.Manager.GetCounts("f"));
        launch.SetResult();
        await Eventually.UntilAsync(() => h.Manager.GetCounts("f").Idle == 1, "the environment to park");
        Assert.Equal(["freeze"], Assert.Single(h.Factory.Created).Calls);
        Assert.False(h.Factory.HasPendingInvocation);
    }

    [Fact]
    public async Task InvokeAsync_CancelledWhileRunning_ReturnsAtOnceAndTheEnvironmentFinishesTheInvocation()
    {
        await using var h = new ManagerHarness();
        using var cancellation = new CancellationTokenSource();
        var task = h.Invoke("f", cancellationToken: cancellation.Token);
        var invocation = await h.Factory.NextInvocationAsync();

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Within(task));
        Assert.Equal(1, h.Manager.GetCounts("f").Busy);
        invocation.Complete();
        await h.UntilSettledAsync();
        Assert.Equal(["invoke", "freeze"], invocation.Environment.Calls);
        Assert.Equal(1, h.Manager.GetCounts("f").Idle);
    }

    [Fact]
    public async Task InvokeAsync_FreezeFails_ShutsTheEnvironmentDown()
    {
        await using var h = new ManagerHarness();
        var (task, invocation) = await h.StartAsync("f");
        invocation.Environment.FreezeFailure = new IOException("freezer.state is gone");

        invocation.Complete();
        await Eventually.Within(task);

        Assert.Equal("failure", await Eventually.Within(invocation.Environment.ShutdownCalled.Task));
        await Eventually.UntilAsync(() => h.Manager.ReservedBytes == 0, "the reservation to be released");
        Assert.Empty(h.Manager.GetAllCounts());
    }
}
