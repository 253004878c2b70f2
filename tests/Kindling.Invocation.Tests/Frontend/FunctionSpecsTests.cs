using Kindling.Functions.Model;
using Kindling.Functions.Services;
using Kindling.Invocation.Frontend;
using Kindling.Invocation.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Kindling.Invocation.Tests.Frontend;

public sealed class FunctionSpecsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kindling-specs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task AfterADeploySettles_TheSpecOfEachSettledVersionIsBuiltAlready()
    {
        await using var provider = new ServiceCollection().AddTestControlPlane(_directory).BuildServiceProvider();
        var specs = provider.GetRequiredService<FunctionSpecs>();
        var store = provider.GetRequiredService<FunctionStore>();
        await TestControlPlane.CreateFunctionAsync(provider, "f");
        var created = (await store.ResolveForInvokeAsync(store.Parse("f", null), CancellationToken.None)).Version;
        Assert.True(specs.IsCached(created));

        await provider.GetRequiredService<FunctionService>().UpdateConfigurationAsync(
            "f", new UpdateFunctionConfigurationRequest { MemorySize = 256 }, CancellationToken.None);
        var pending = (await store.ResolveForInvokeAsync(store.Parse("f", null), CancellationToken.None)).Version;
        Assert.False(specs.IsCached(pending));
        await TestControlPlane.ReconcileAsync(provider, "f");

        var updated = (await store.ResolveForInvokeAsync(store.Parse("f", null), CancellationToken.None)).Version;
        Assert.Equal(256, updated.Configuration.MemorySize);
        Assert.True(specs.IsCached(updated));
        Assert.Equal(256, (await specs.ForAsync(updated, CancellationToken.None)).MemorySizeMb);
    }
}
