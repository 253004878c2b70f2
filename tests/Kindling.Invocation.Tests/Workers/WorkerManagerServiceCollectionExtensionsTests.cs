using Kindling.Invocation.Environments;
using Kindling.Invocation.Tests.TestSupport;
using Kindling.Invocation.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kindling.Invocation.Tests.Workers;

public sealed class WorkerManagerServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddKindlingWorkerManager_Resolves_TheManagerAsIWorkerManagerWithItsReaperAndBudget()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IEnvironmentFactory>(new FakeEnvironmentFactory())
            .AddKindlingWorkerManager(new WorkerManagerOptions { HostMemoryBytes = 3L << 30, ReserveBytes = 1L << 30 });
        await using var provider = services.BuildServiceProvider();

        var manager = provider.GetRequiredService<WorkerManager>();

        Assert.Same(manager, provider.GetRequiredService<IWorkerManager>());
        Assert.Equal(2L << 30, manager.MemoryBudgetBytes);
        Assert.IsType<WorkerManagerReaper>(Assert.Single(provider.GetServices<IHostedService>()));
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void AddKindlingWorkerManager_InvalidOptions_ThrowsWithTheProblems()
    {
        var error = Assert.Throws<ArgumentException>(
            () => new ServiceCollection().AddKindlingWorkerManager(new WorkerManagerOptions { KeepAlive = TimeSpan.Zero, ReapInterval = TimeSpan.FromSeconds(1) }));

        Assert.StartsWith("The keep-alive of idle environments must be positive (got 00:00:00).", error.Message, StringComparison.Ordinal);
    }
}
