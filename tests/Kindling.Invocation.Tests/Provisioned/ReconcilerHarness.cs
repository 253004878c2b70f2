using Kindling.Functions.Arns;
using Kindling.Functions.Model;
using Kindling.Functions.Services;
using Kindling.Invocation.Environments;
using Kindling.Invocation.Provisioned;
using Kindling.Invocation.Tests.TestSupport;
using Kindling.Invocation.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kindling.Invocation.Tests.Provisioned;

/// <summary>
/// The control plane (real SQLite metadata in a temp directory), the Invoke frontend's specs, a worker manager over
/// fake environments and fake time, and the provisioned concurrency reconciler, composed as the server does; the
/// reconciler is not started: tests run its passes.
/// </summary>
internal sealed class ReconcilerHarness : IAsyncDisposable
{
    public static readonly AccountContext Account = TestControlPlane.Account;

    private readonly string _directory = Directory.CreateTempSubdirectory("kindling-provisioned-").FullName;
    private readonly ServiceProvider _provider;

    public ReconcilerHarness()
    {
        var services = new ServiceCollection();
        services.AddTestControlPlane(_directory);
        services.AddSingleton<IEnvironmentFactory>(Factory);
        services.AddKindlingWorkerManager(new WorkerManagerOptions { HostMemoryBytes = 8L << 30, ReserveBytes = 0 });
        services.AddKindlingProvisionedConcurrency();
        services.AddSingleton<TimeProvider>(Time);
        _provider = services.BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; } = new();

    public FakeEnvironmentFactory Factory { get; } = new();

    public WorkerManager Manager => Get<WorkerManager>();

    public ConcurrencyService Concurrency => Get<ConcurrencyService>();

    public ProvisionedConcurrencySignal Signal => Get<ProvisionedConcurrencySignal>();

    public ProvisionedConcurrencyReconciler Reconciler =>
        _provider.GetServices<IHostedService>().OfType<ProvisionedConcurrencyReconciler>().Single();

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    /// <summary>Creates a function and publishes version 1; returns version 1's pool key.</summary>
    public async Task<string> CreateFunctionWithVersionAsync(string name)
    {
        await TestControlPlane.CreateFunctionAsync(_provider, name);
        await Get<VersionService>().PublishAsync(name, new PublishVersionRequest(null, null, null), allowPending: false, CancellationToken.None);
        await TestControlPlane.ReconcileAsync(_provider, name);
        var version = await Get<FunctionStore>().ResolveAsync(new FunctionReference(name, "1"), CancellationToken.None);
        return (await Get<Kindling.Invocation.Frontend.FunctionSpecs>().ForAsync(version.Version, CancellationToken.None)).PoolKey;
    }

    public Task PutAsync(string name, string qualifier, int environments) =>
        Concurrency.PutProvisionedAsync(name, qualifier, new ProvisionedConcurrencyRequest(environments), CancellationToken.None);

    public Task<ProvisionedConcurrencyConfig> GetAsync(string name, string qualifier) =>
        Concurrency.GetProvisionedAsync(name, qualifier, CancellationToken.None);

    /// <summary>
    /// Runs a full pass, then status passes until one found no configuration being allocated and began after every
    /// environment launch had ended (a pass that saw a launch under way may have written its status before the
    /// launch finished).
    /// </summary>
    public async Task SettleAsync()
    {
        var deadline = DateTime.UtcNow + Eventually.Deadline;
        // The full pass starts the launches (a failed one is retried there).
        await Reconciler.PassAsync(full: true, CancellationToken.None);
        while (true)
        {
            // A FAILED configuration being retried is not "settling" for the reconciler: wait for the launches too.
            var launching = Manager.GetAllCounts().Values.Any(c => c.Starting > 0 || c.Freezing > 0);
            var settling = await Reconciler.PassAsync(full: false, CancellationToken.None);
            if (!settling && !launching)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting for the provisioned environments to settle.");
            }

            await Task.Delay(1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
