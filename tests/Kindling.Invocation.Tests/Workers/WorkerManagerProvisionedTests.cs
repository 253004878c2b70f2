using Kindling.Invocation.Environments;
using Kindling.Invocation.Placement;
using Kindling.Invocation.Tests.TestSupport;
using Kindling.Invocation.Workers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kindling.Invocation.Tests.Workers;

public sealed class WorkerManagerProvisionedTests
{
    private static readonly WorkerManagerOptions Options = new()
    {
        KeepAlive = TimeSpan.FromMinutes(10),
        MaxLifetime = TimeSpan.FromHours(1),
        ReapInterval = TimeSpan.FromSeconds(5),
        HotWindow = TimeSpan.Zero,
    };

    [Fact]
    public async Task SetProvisionedConcurrency_Two_LaunchesTwoProvisionedEnvironmentsFrozenIdleBeforeAnyInvoke()
    {
        await using var h = new ManagerHarness(options: Options);

        h.Manager.SetProvisionedConcurrency(TestFunctions.Spec("f"), 2);
        await UntilAllocatedAsync(h, "f", 2);

        Assert.Equal(new ProvisionedCounts(Requested: 2, Allocated: 2, Available: 2, Starting: 0, Failure: null), h.Manager.GetProvisionedCounts("f"));
        Assert.Equal(new WorkerPoolCounts(Idle: 2, Busy: 0, Freezing: 0, Starting: 0, Waiting: 0), h.Manager.GetCounts("f"));
        Assert.Equal([InitializationType.ProvisionedConcurrency, InitializationType.ProvisionedConcurrency], h.Factory.InitializationTypes);
        Assert.All(h.Factory.Created, e => Assert.Equal(["freeze"], e.Calls));
        Assert.Equal(0, h.Manager.ColdStarts);
        Assert.Equal(2, h.Manager.ProvisionedLaunches);
        Assert.Equal(256 * ManagerHarness.Mb, h.Manager.ReservedBytes);
    }

    [Fact]
    public async Task InvokeAsync_AsManyConcurrentAsProvisioned_RunsOnThemWithNoColdStart()
    {
        await using var h = new ManagerHarness(options: Options);
        h.Manager.SetProvisionedConcurrency(TestFunctions.Spec("f"), 2);
        await UntilAllocatedAsync(h, "f", 2);

        var (first, a) = await h.StartAsync("f");
        var (second, b) = await h.StartAsync("f");

        Assert.NotSame(a.Environment, b.Environment);
        Assert.All(h.Factory.Created, e => Assert.Contains(e, new[] { a.Environment, b.Environment }));
        Assert.Equal(0, h.Manager.ColdStarts);
        Assert.Equal(2, h.Factory.CreateCalls);
        a.Complete();
        b.Complete();
        await Eventually.Within(Task.WhenAll(first, second));
        Assert.All(h.Factory.Created, e => Assert.Equal(0, e.Violations));
    }

    [Fact]
    public async Task InvokeAsync_BeyondProvisioned_SpillsToAnOnDemandEnvironmentAndPrefersTheProvisionedOneAfterwards()
    {
        await using var h = new ManagerHarness(options: Options);
        h.Manager.SetProvisionedConcurrency(TestFunctions.Spec("f"), 1);
        await UntilAllocatedAsync(h, "f", 1);
        var provisioned = h.Factory.Created.Single();

        var (first, a) = await h.StartAsync("f");
        var (second, b) = await h.StartAsync("f");
        Assert.Same(provisioned, a.Environment);
        Assert.NotSame(provisioned, b.Environment);
        Assert.Equal([InitializationType.ProvisionedConcurrency, InitializationType.OnDemand], h.Factory.InitializationTypes);
        Assert.Equal(1, h.Manager.ColdStarts);

        // The on-demand environment is released last, so it is the most recently used: the provisioned one still goes first.
        a.Complete();
        await Eventually.Within(first);
        await Eventually.UntilAsync(() => h.Manager.GetCounts("f").Idle == 1, "the provisioned environment to park");
        b.Complete();
        await Eventually.Within(second);
        await h.UntilSettledAsync();
        var next = await h.InvokeToIdleAsync("f");

        Assert.Same(provisioned, next);
    }

    [Fact]
    public async Task ReapAsync_ProvisionedIdlePastTheKeepAlive_KeepsThem()
    {
        await using var h = new ManagerHarness(options: Options);
        h.Manager.SetProvisionedConcurrency(TestFunctions.Spec("f"), 2);
        await UntilAllocatedAsync(h, "f", 2);
        var onDemand = await h.InvokeToIdleAsync("g");

        h.Time.Advance(TimeSpan.FromMinutes(30));
        await h.Manager.ReapAsync();

        Assert.Equal("spindown", await Eventually.Within(onDemand.ShutdownCalled.Task));
        Assert.Equal(2, h.Manager.GetCounts("f").Idle);
        Assert.All(h.Factory.Created.Where(e => e != onDemand), e => Assert.False(e.ShutdownCalled.Task.IsCompleted));
    }

    [Fact]
    public async Task InvokeAsync_MemoryHeldByIdleProvisionedEnvironments_RefusedInsteadOfEvictingThem()
    {
        await using var h = new ManagerHarness(budgetMb: 256, options: Options);
        h.Manager.SetProvisionedConcurrency(TestFunctions.Spec("f"), 2);
        await UntilAllocatedAsync(h, "f", 2);

        await Assert.ThrowsAsync<CapacityExceededException>(() => Eventually.Within(h.Invoke("g")));

        Assert.Equal(0, h.Manager.Evictions);
        Assert.Equal(2, h.Manager.GetCounts("f").Idle);
        Assert.All(h.Factory.Created, e => Assert.False(e.ShutdownCalled.Task.IsCompleted));
    }

    [Fact]
    public async Task SetProvisionedConcurrency_Lowered_RetiresIdleSurplusAtOnceAndBusySurplusWhenItsInvocationEnds()
    {
        await using var h = new ManagerHarness(options: Options);
        h.Manager.SetProvisionedConcurrency(TestFunctions.Spec("f"), 3);
        await UntilAllocatedAsync(h, "f", 3);
        var (running, invocation) = await h.StartAsync("f");

        h.Manager.SetProvisionedConcurrency(TestFunctions.Spec("f"), 0);

        var idle = h.Factory.Created.Where(e => e != invocation.Environment).ToList();
        Assert.All(await Task.WhenAll(idle.Select(e => Eventually.Within(e.ShutdownCalled.Task))), r => Assert.Equal("spindown", r));
        Assert.False(invocation.Environment.ShutdownCalled.Task.IsCompleted);
        invocation.Complete();
        await Eventually.Within(running);
        Assert.Equal("spindown", await Eventually.Within(invocation.Environment.ShutdownCalled.Task));
        await Eventually.UntilAsync(() => h.Manager.ReservedBytes == 0, "every reservation to be released");
        Assert.Empty(h.Manager.GetAllCounts());
        Assert.Equal(default, h.Manager.GetProvisionedCounts("f"));
    }

    [Fact]
    public async Task SetProvisionedConcurrency_LoweredToOne_KeepsOne()
    {
        await using var h = new ManagerHarness(options: Options);
        h.Manager.SetProvisionedConcurrency(TestFunctions.Spec("f"), 3);
        await UntilAllocatedAsync(h, "f", 3);

        h.Manager.SetProvisionedConcurrency(TestFunctions.Spec("f"), 1);

        await Eventually.UntilAsync(() => h.Factory.Created.Count(e => e.Disposed.Task.IsCompleted) == 2, "two environments to be retired");
        Assert.Equal(new ProvisionedCounts(1, 1, 1, 0, null), h.Manager.GetProvisionedCounts("f"));
        Assert.Equal(1, h.Manager.GetCounts("f").Idle);
        Assert.Equal(3, h.Factory.CreateCalls);
    }

    [Fact]
    public async Task InvokeAsync_ProvisionedEnvironmentNoLongerReusable_IsReplacedByANewProvisionedOne()
    {
        await using var h = new ManagerHarness(options: Options);
        h.Manager.SetProvisionedConcurrency(TestFunctions.Spec("f"), 1);
        await UntilAllocatedAsync(h, "f", 1);
        var (running, invocation) = await h.StartAsync("f");

        invocation.Environment.IsReusable = false;
        invocation.Complete();
        await Eventually.Within(running);

        Assert.Equal("failure", await Eventually.Within(invocation.Environment.ShutdownCalled.Task));
        await Eventually.UntilAsync(() => h.Factory.CreateCalls == 2 && h.Manager.GetCounts("f").Idle == 1, "the replacement to park");
        Assert.Equal([InitializationType.ProvisionedConcurrency, InitializationType.ProvisionedConcurrency], h.Factory.InitializationTypes);
        Assert.Equal(new ProvisionedCounts(1, 1, 1, 0, null), h.Manager.GetProvisionedCounts("f"));
        Assert.Equal(0, h.Manager.ColdStarts);
    }

    [Fact]
    public async Task ReapAsync_ProvisionedOlderThanTheMaximumLifetime_RecyclesAndReplacesIt()
    {
        await using var h = new ManagerHarness(options: Options);
        h.Manager.SetProvisionedConcurrency(TestFunctions.Spec("f"), 1);
        await UntilAllocatedAsync(h, "f", 1);
        var old = h.Factory.Created.Single();

        h.Time.Advance(TimeSpan.FromHours(1));
        await h.Manager.ReapAsync();

        Assert.Equal("spindown", await Eventually.Within(old.ShutdownCalled.Task));
        await Eventually.UntilAsync(() => h.Factory.CreateCalls == 2 && h.Manager.GetCounts("f").Idle == 1, "the replacement to park");
        Assert.Equal(new ProvisionedCounts(1, 1, 1, 0, null), h.Manager.GetProvisionedCounts("f"));
    }

    [Fact]
    public async Task SetProvisionedConcurrency_LaunchFails_ReportsTheFailureUntilARetrySucceeds()
    {
        await using var h = new ManagerHarness(options: Options);
        h.Factory.LaunchFailure = new EnvironmentLaunchException("The sandbox could not start.");

        h.Manager.SetProvisionedConcurrency(TestFunctions.Spec("f"), 1);
        await Eventually.UntilAsync(() => h.Manager.GetProvisionedCounts("f").Failure is not null, "the failure");

        Assert.Equal(new ProvisionedCounts(1, 0, 0, 0, "The sandbox could not start."), h.Manager.GetProvisionedCounts("f"));
        Assert.Equal(0, h.Manager.ReservedBytes);
        h.Factory.LaunchFailure = null;
        h.Manager.SetProvisionedConcurrency(TestFunctions.Spec("f"), 1);
        await UntilAllocatedAsync(h, "f", 1);
        Assert.Equal(new ProvisionedCounts(1, 1, 1, 0, null), h.Manager.GetProvisionedCounts("f"));
    }

    [Fact]
    public async Task SetProvisionedConcurrency_InitFails_ReportsFunctionErrorInitFailureAndShutsTheEnvironmentDown()
    {
        var inner = new FakeEnvironmentFactory();
        var time = new FakeTimeProvider();
        var placement = new MemoryPlacement(1024 * ManagerHarness.Mb);
        await using var manager = new WorkerManager(new InitFailingFactory(inner), placement, Options, time, NullLogger<WorkerManager>.Instance);

        manager.SetProvisionedConcurrency(TestFunctions.Spec("f"), 2);
        await Eventually.UntilAsync(() => manager.GetProvisionedCounts("f").Starting == 0, "both launches to end");

        Assert.Equal(new ProvisionedCounts(2, 0, 0, 0, WorkerManager.InitFailureReason), manager.GetProvisionedCounts("f"));
        Assert.Equal("FUNCTION_ERROR_INIT_FAILURE", WorkerManager.InitFailureReason);
        Assert.All(inner.Created, e => Assert.Equal(["shutdown:failure", "dispose"], e.Calls));
        Assert.Equal(0, placement.ReservedBytes);
        Assert.Equal(0, manager.EnvironmentCount);
    }

    [Fact]
    public async Task SetProvisionedConcurrency_InitTimesOut_IsNotCountedAndTheEnvironmentIsShutDown()
    {
        var inner = new FakeEnvironmentFactory();
        var time = new FakeTimeProvider();
        var placement = new MemoryPlacement(1024 * ManagerHarness.Mb);
        await using var manager = new WorkerManager(new InitFailingFactory(inner, timedOut: true), placement, Options, time, NullLogger<WorkerManager>.Instance);

        manager.SetProvisionedConcurrency(TestFunctions.Spec("f"), 2);
        await Eventually.UntilAsync(() => manager.GetProvisionedCounts("f").Starting == 0, "both launches to end");

        // A timed-out Init would run again at the first invoke: such an environment is no provisioned one.
        Assert.Equal(new ProvisionedCounts(2, 0, 0, 0, WorkerManager.InitFailureReason), manager.GetProvisionedCounts("f"));
        Assert.All(inner.Created, e => Assert.Equal(["shutdown:failure", "dispose"], e.Calls));
        Assert.Equal(0, placement.ReservedBytes);
    }

    [Fact]
    public async Task ShutdownAsync_WithProvisionedEnvironments_ShutsThemDown()
    {
        await using var h = new ManagerHarness(options: Options);
        h.Manager.SetProvisionedConcurrency(TestFunctions.Spec("f"), 2);
        await UntilAllocatedAsync(h, "f", 2);

        await Eventually.Within(h.Manager.ShutdownAsync(CancellationToken.None));

        Assert.All(h.Factory.Created, e => Assert.Equal(["freeze", "thaw", "shutdown:spindown", "dispose"], e.Calls));
        Assert.Empty(h.Manager.GetAllCounts());
        Assert.Equal(0, h.Manager.ReservedBytes);
    }

    private static Task UntilAllocatedAsync(ManagerHarness h, string poolKey, int environments) => Eventually.UntilAsync(
        () => h.Manager.GetProvisionedCounts(poolKey).Allocated == environments && h.Manager.GetCounts(poolKey) is { Freezing: 0, Starting: 0 },
        $"{environments} provisioned environments of {poolKey} to be idle");

    /// <summary>Environments whose Init failed (created, not reusable) or timed out (reusable, not initialized).</summary>
    private sealed class InitFailingFactory(FakeEnvironmentFactory inner, bool timedOut = false) : IEnvironmentFactory
    {
        public async Task<IExecutionEnvironment> CreateAsync(FunctionSpec function, InitializationType initializationType, CancellationToken cancellationToken)
        {
            var environment = (FakeEnvironment)await inner.CreateAsync(function, initializationType, cancellationToken);
            environment.IsReusable = timedOut;
            environment.IsInitialized = !timedOut;
            return environment;
        }
    }
}
