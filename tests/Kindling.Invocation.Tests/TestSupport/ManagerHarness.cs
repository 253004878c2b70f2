using Kindling.Invocation.Environments;
using Kindling.Invocation.Placement;
using Kindling.Invocation.Workers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kindling.Invocation.Tests.TestSupport;

/// <summary>A worker manager over a fake factory, fake time and a budget in MB.</summary>
internal sealed class ManagerHarness : IAsyncDisposable
{
    public const long Mb = 1024 * 1024;

    /// <summary>Options default to freezing at once (no hot window), which most tests observe.</summary>
    public ManagerHarness(long budgetMb = 8192, WorkerManagerOptions? options = null)
    {
        Options = options ?? new WorkerManagerOptions { HotWindow = TimeSpan.Zero };
        Placement = new MemoryPlacement(budgetMb * Mb);
        Manager = new WorkerManager(Factory, Placement, Options, Time, NullLogger<WorkerManager>.Instance);
    }

    public FakeTimeProvider Time { get; } = new();

    public FakeEnvironmentFactory Factory { get; } = new();

    public WorkerManagerOptions Options { get; }

    public MemoryPlacement Placement { get; }

    public WorkerManager Manager { get; }

    public Task<InvocationResult> Invoke(string function, int memoryMb = 128, CancellationToken cancellationToken = default) =>
        Manager.InvokeAsync(TestFunctions.Spec(function, memoryMb), TestFunctions.Request(), cancellationToken);

    /// <summary>Starts an invocation and returns it once it runs on an environment.</summary>
    public async Task<(Task<InvocationResult> Task, FakeInvocation Invocation)> StartAsync(string function, int memoryMb = 128)
    {
        var task = Invoke(function, memoryMb);
        var invocation = await Factory.NextInvocationAsync();
        return (task, invocation);
    }

    /// <summary>Runs one invocation to completion and waits until its environment is idle again.</summary>
    public async Task<FakeEnvironment> InvokeToIdleAsync(string function, int memoryMb = 128)
    {
        var (task, invocation) = await StartAsync(function, memoryMb);
        invocation.Complete();
        await Eventually.Within(task);
        await UntilSettledAsync();
        return invocation.Environment;
    }

    /// <summary>Waits until no environment is busy, freezing or starting and no invocation waits.</summary>
    public Task UntilSettledAsync() => Eventually.UntilAsync(
        () => Manager.GetAllCounts().Values.All(c => c.Busy == 0 && c.Freezing == 0 && c.Starting == 0 && c.Waiting == 0),
        "the worker manager to settle");

    public ValueTask DisposeAsync() => Manager.DisposeAsync();
}
