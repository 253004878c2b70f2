using Kindling.Functions.Model;
using Kindling.Functions.Tests.TestSupport;

namespace Kindling.Functions.Tests.Services;

public sealed class ResolveForInvokeTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ServedFromMemory_UntilAWriteCommits()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("f");
        var store = plane.Store;
        var reference = store.Parse("f", null);

        var first = await store.ResolveForInvokeAsync(reference, None);
        Assert.Same(first.Version, (await store.ResolveForInvokeAsync(reference, None)).Version);

        await plane.Functions.UpdateConfigurationAsync("f", new UpdateFunctionConfigurationRequest { Description = "changed" }, None);
        var after = await store.ResolveForInvokeAsync(reference, None);
        Assert.Equal("changed", after.Version.Configuration.Description);
        Assert.Equal((await store.ResolveAsync(reference, None)).Version.Configuration.RevisionId, after.Version.Configuration.RevisionId);
    }

    [Fact]
    public async Task AfterAnUpdateSettles_TheSettledRecordIsAlreadyInMemory()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("f");
        await plane.Functions.UpdateConfigurationAsync("f", new UpdateFunctionConfigurationRequest { Description = "changed" }, None);

        await plane.ReconcileAsync("f");
        // Removed underneath the control plane (no write through it): only a record read ahead can still be served.
        await plane.MetadataStore.WriteAsync([new Kindling.Storage.Metadata.DeleteItem(Tables.Function, "f", "$LATEST")], None);

        var resolved = await plane.Store.ResolveForInvokeAsync(plane.Store.Parse("f", null), None);
        Assert.Equal("changed", resolved.Version.Configuration.Description);
        Assert.Equal("Successful", resolved.Version.Configuration.LastUpdateStatus);
    }

    [Fact]
    public async Task AnAliasMovedToAnotherVersion_IsSeenAtOnce()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("f");
        var v1 = (await plane.Versions.PublishAsync("f", new PublishVersionRequest(null, null, null), allowPending: false, None)).Version;
        await plane.Aliases.CreateAsync("f", new AliasRequest { Name = "live", FunctionVersion = v1 }, None);
        var reference = plane.Store.Parse("f", "live");
        Assert.Equal(v1, (await plane.Store.ResolveForInvokeAsync(reference, None)).Version.Configuration.Version);

        await plane.Functions.UpdateConfigurationAsync("f", new UpdateFunctionConfigurationRequest { Description = "v2" }, None);
        await plane.ReconcileAsync("f");
        var v2 = (await plane.Versions.PublishAsync("f", new PublishVersionRequest(null, null, null), allowPending: false, None)).Version;
        await plane.Aliases.UpdateAsync("f", "live", new AliasRequest { FunctionVersion = v2 }, None);

        Assert.Equal(v2, (await plane.Store.ResolveForInvokeAsync(reference, None)).Version.Configuration.Version);
    }
}
