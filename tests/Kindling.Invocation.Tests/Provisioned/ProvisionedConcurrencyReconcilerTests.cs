using Kindling.Functions.Model;
using Kindling.Functions.Services;
using Kindling.Invocation.Environments;
using Kindling.Invocation.Tests.TestSupport;
using Kindling.Invocation.Workers;

namespace Kindling.Invocation.Tests.Provisioned;

public sealed class ProvisionedConcurrencyReconcilerTests
{
    [Fact]
    public async Task PassAsync_ConfigurationOnAVersion_AllocatesItsEnvironmentsAndWritesInProgressThenReady()
    {
        await using var h = new ReconcilerHarness();
        var poolKey = await h.CreateFunctionWithVersionAsync("f");
        h.Signal.TryConsume();

        // The launches wait until IN_PROGRESS is read: fake environments start in microseconds, and on a loaded machine
        // both could be up before the pass counts them.
        var launches = new TaskCompletionSource();
        h.Factory.Gate = _ => launches.Task;

        await h.PutAsync("f", "1", 2);
        Assert.True(h.Signal.TryConsume());
        Assert.True(await h.Reconciler.PassAsync(full: true, CancellationToken.None));
        var inProgress = await h.GetAsync("f", "1");
        launches.SetResult();
        await h.SettleAsync();
        var ready = await h.GetAsync("f", "1");

        Assert.Equal(("IN_PROGRESS", 0, 0), (inProgress.Status, inProgress.AllocatedProvisionedConcurrentExecutions, inProgress.AvailableProvisionedConcurrentExecutions));
        Assert.Equal(("READY", 2, 2, 2, (string?)null), (ready.Status, ready.RequestedProvisionedConcurrentExecutions, ready.AllocatedProvisionedConcurrentExecutions, ready.AvailableProvisionedConcurrentExecutions, ready.StatusReason));
        Assert.Equal(inProgress.LastModified, ready.LastModified);
        Assert.Equal(new ProvisionedCounts(2, 2, 2, 0, null), h.Manager.GetProvisionedCounts(poolKey));
        Assert.Equal([InitializationType.ProvisionedConcurrency, InitializationType.ProvisionedConcurrency], h.Factory.InitializationTypes);
    }

    [Fact]
    public async Task PassAsync_VersionAndAnAliasOfIt_ShareTheVersionsPoolWithTheSumOfTheirRequests()
    {
        await using var h = new ReconcilerHarness();
        var poolKey = await h.CreateFunctionWithVersionAsync("f");
        await h.Get<AliasService>().CreateAsync("f", new AliasRequest { Name = "live", FunctionVersion = "1" }, CancellationToken.None);

        await h.PutAsync("f", "1", 1);
        await h.PutAsync("f", "live", 2);
        await h.SettleAsync();

        Assert.Equal(new ProvisionedCounts(3, 3, 3, 0, null), h.Manager.GetProvisionedCounts(poolKey));
        Assert.Equal(("READY", 1), ((await h.GetAsync("f", "1")).Status, (await h.GetAsync("f", "1")).AllocatedProvisionedConcurrentExecutions));
        Assert.Equal(("READY", 2), ((await h.GetAsync("f", "live")).Status, (await h.GetAsync("f", "live")).AllocatedProvisionedConcurrentExecutions));
    }

    [Fact]
    public async Task PassAsync_ConfigurationDeleted_ReleasesItsEnvironments()
    {
        await using var h = new ReconcilerHarness();
        var poolKey = await h.CreateFunctionWithVersionAsync("f");
        await h.PutAsync("f", "1", 2);
        await h.SettleAsync();

        await h.Concurrency.DeleteProvisionedAsync("f", "1", CancellationToken.None);
        Assert.True(h.Signal.TryConsume());
        await h.Reconciler.PassAsync(full: true, CancellationToken.None);

        Assert.All(await Task.WhenAll(h.Factory.Created.Select(e => Eventually.Within(e.ShutdownCalled.Task))), r => Assert.Equal("spindown", r));
        Assert.Equal(default, h.Manager.GetProvisionedCounts(poolKey));
    }

    [Fact]
    public async Task PassAsync_FunctionDeletedWithoutASignal_FullPassReleasesItsEnvironments()
    {
        await using var h = new ReconcilerHarness();
        var poolKey = await h.CreateFunctionWithVersionAsync("f");
        await h.PutAsync("f", "1", 1);
        await h.SettleAsync();

        await h.Get<FunctionService>().DeleteAsync("f", null, CancellationToken.None);
        await h.Reconciler.PassAsync(full: true, CancellationToken.None);

        Assert.Equal("spindown", await Eventually.Within(h.Factory.Created.Single().ShutdownCalled.Task));
        Assert.Equal(default, h.Manager.GetProvisionedCounts(poolKey));
    }

    [Fact]
    public async Task PassAsync_LaunchesFail_WritesFailedWithTheReason()
    {
        await using var h = new ReconcilerHarness();
        await h.CreateFunctionWithVersionAsync("f");
        h.Factory.LaunchFailure = new EnvironmentLaunchException("The sandbox could not start.");

        await h.PutAsync("f", "1", 1);
        await h.SettleAsync();

        var failed = await h.GetAsync("f", "1");
        Assert.Equal(("FAILED", "The sandbox could not start.", 0, 0), (failed.Status, failed.StatusReason, failed.AllocatedProvisionedConcurrentExecutions, failed.AvailableProvisionedConcurrentExecutions));
        h.Factory.LaunchFailure = null;
        await h.SettleAsync();
        var ready = await h.GetAsync("f", "1");
        Assert.Equal(("READY", (string?)null, 1), (ready.Status, ready.StatusReason, ready.AllocatedProvisionedConcurrentExecutions));
    }

    [Fact]
    public async Task UpdateProvisionedStatusAsync_RequestChangedMeanwhile_WritesNothing()
    {
        await using var h = new ReconcilerHarness();
        await h.CreateFunctionWithVersionAsync("f");
        await h.PutAsync("f", "1", 3);

        var written = await h.Concurrency.UpdateProvisionedStatusAsync("f", "1", requested: 2, 2, 2, "READY", null, CancellationToken.None);

        Assert.False(written);
        Assert.Equal(("IN_PROGRESS", 0), ((await h.GetAsync("f", "1")).Status, (await h.GetAsync("f", "1")).AllocatedProvisionedConcurrentExecutions));
    }
}
