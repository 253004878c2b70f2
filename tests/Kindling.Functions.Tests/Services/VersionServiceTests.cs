using System.Net;
using Kindling.Functions.Model;
using Kindling.Functions.Tests.TestSupport;

namespace Kindling.Functions.Tests.Services;

public sealed class VersionServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly PublishVersionRequest Plain = new(null, null, null);

    [Fact]
    public async Task PublishAsync_FirstTime_PublishesVersionOne()
    {
        await using var plane = new ControlPlane();
        var active = await plane.CreateActiveAsync("hello");

        var published = await plane.Versions.PublishAsync("hello", Plain, false, None);

        Assert.Equal("1", published.Version);
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:hello:1", published.FunctionArn);
        Assert.Equal(active.CodeSha256, published.CodeSha256);
        Assert.Equal("Active", published.State);
        Assert.Equal("Successful", published.LastUpdateStatus);
        Assert.NotEqual(active.RevisionId, published.RevisionId);
    }

    [Fact]
    public async Task PublishAsync_Unchanged_ReturnsSameVersion()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");
        var first = await plane.Versions.PublishAsync("hello", Plain, false, None);

        var second = await plane.Versions.PublishAsync("hello", Plain, false, None);

        Assert.Equal("1", second.Version);
        Assert.Equal(first.RevisionId, second.RevisionId);
    }

    [Fact]
    public async Task PublishAsync_AfterDescriptionChange_PublishesNextVersion()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");
        await plane.Versions.PublishAsync("hello", Plain, false, None);
        await plane.Functions.UpdateConfigurationAsync("hello", new UpdateFunctionConfigurationRequest { Description = "changed" }, None);
        await plane.ReconcileAsync("hello");

        var next = await plane.Versions.PublishAsync("hello", Plain, false, None);

        Assert.Equal("2", next.Version);
        Assert.Equal("changed", next.Description);
    }

    [Fact]
    public async Task PublishAsync_AfterCodeChange_PublishesNextVersion()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");
        await plane.Versions.PublishAsync("hello", Plain, false, None);
        await plane.Functions.UpdateCodeAsync("hello", new UpdateFunctionCodeRequest { ZipFile = Zips.WithBootstrap("#!/bin/sh\necho v2\n") }, None);
        await plane.ReconcileAsync("hello");

        var next = await plane.Versions.PublishAsync("hello", Plain, false, None);

        Assert.Equal("2", next.Version);
    }

    [Fact]
    public async Task PublishAsync_OwnDescriptionThenUnchanged_ReturnsSameVersion()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");
        var first = await plane.Versions.PublishAsync("hello", new PublishVersionRequest(null, "release one", null), false, None);

        var again = await plane.Versions.PublishAsync("hello", Plain, false, None);

        Assert.Equal("release one", first.Description);
        Assert.Equal("1", again.Version);
        Assert.Equal("release one", again.Description);
    }

    [Fact]
    public async Task PublishAsync_WhileUpdateInProgress_ThrowsConflict()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");
        await plane.Functions.UpdateConfigurationAsync("hello", new UpdateFunctionConfigurationRequest { Description = "x" }, None);

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.Conflict,
            "ResourceConflictException",
            "The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:000000000000:function:hello",
            () => plane.Versions.PublishAsync("hello", Plain, false, None));
    }

    [Fact]
    public async Task PublishAsync_StaleRevisionId_ThrowsPreconditionFailed()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.PreconditionFailed,
            "PreconditionFailedException",
            "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
            () => plane.Versions.PublishAsync("hello", new PublishVersionRequest(null, null, "stale"), false, None));
    }

    [Fact]
    public async Task PublishAsync_MissingFunction_ThrowsNotFound()
    {
        await using var plane = new ControlPlane();

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.NotFound,
            "ResourceNotFoundException",
            "Function not found: arn:aws:lambda:us-east-1:000000000000:function:ghost",
            () => plane.Versions.PublishAsync("ghost", Plain, false, None));
    }

    [Fact]
    public async Task PublishAsync_DeletedVersion_NumberIsNotReused()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");
        await plane.Versions.PublishAsync("hello", Plain, false, None);
        await plane.Functions.DeleteAsync("hello", "1", None);

        var next = await plane.Versions.PublishAsync("hello", Plain, false, None);

        Assert.Equal("2", next.Version);
    }

    [Fact]
    public async Task ListAsync_PublishedVersions_ListsLatestFirst()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");
        await plane.Versions.PublishAsync("hello", Plain, false, None);
        await plane.Functions.UpdateConfigurationAsync("hello", new UpdateFunctionConfigurationRequest { Timeout = 10 }, None);
        await plane.ReconcileAsync("hello");
        await plane.Versions.PublishAsync("hello", Plain, false, None);

        var (versions, marker) = await plane.Versions.ListAsync("hello", null, null, None);

        Assert.Equal(["$LATEST", "1", "2"], versions.Select(v => v.Version));
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:hello:$LATEST", versions[0].FunctionArn);
        Assert.Null(marker);
    }
}
