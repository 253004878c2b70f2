using Kindling.Functions.Model;
using Kindling.Functions.Services;
using Kindling.Functions.Tests.TestSupport;

namespace Kindling.Functions.Tests.Services;

public sealed class ConcurrencySettingsTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task EveryChange_IsSeenByTheNextRead()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("a");
        await plane.CreateActiveAsync("b");
        var version = (await plane.Versions.PublishAsync("b", new PublishVersionRequest(null, null, null), allowPending: false, None)).Version;
        Assert.Equal(1000, (await plane.ConcurrencySettings.GetAsync(None)).UnreservedPool);

        await plane.Concurrency.PutReservedAsync("a", new Concurrency(300), None);
        var settings = await plane.ConcurrencySettings.GetAsync(None);
        Assert.Equal(new FunctionConcurrency(300, 0), settings.For("a"));
        Assert.Equal(700, settings.UnreservedPool);

        await plane.Concurrency.PutProvisionedAsync("b", version, new ProvisionedConcurrencyRequest(20), None);
        settings = await plane.ConcurrencySettings.GetAsync(None);
        Assert.Equal(new FunctionConcurrency(null, 20), settings.For("b"));
        Assert.Equal(680, settings.UnreservedPool);

        await plane.Concurrency.DeleteReservedAsync("a", None);
        await plane.Functions.DeleteAsync("b", null, None);
        settings = await plane.ConcurrencySettings.GetAsync(None);
        Assert.Equal(default, settings.For("a"));
        Assert.Equal(default, settings.For("b"));
        Assert.Equal(1000, settings.UnreservedPool);
    }

    [Fact]
    public async Task WithoutAChange_TheSnapshotIsReused()
    {
        await using var plane = new ControlPlane();
        var first = await plane.ConcurrencySettings.GetAsync(None);

        Assert.Same(first, await plane.ConcurrencySettings.GetAsync(None));
        plane.ConcurrencySettings.Invalidate();
        Assert.NotSame(first, await plane.ConcurrencySettings.GetAsync(None));
    }
}
