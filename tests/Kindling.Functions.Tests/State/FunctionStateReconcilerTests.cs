using System.Net;
using System.Security.Cryptography;
using Kindling.Functions.Model;
using Kindling.Functions.State;
using Kindling.Functions.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Kindling.Functions.Tests.State;

/// <summary>The create/update state machine end to end, over real storage, settled by calling the reconciler.</summary>
public sealed class FunctionStateReconcilerTests
{
    private const string NoBootstrap = "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]";

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task CreateAsync_NewFunction_IsPendingWithoutLastUpdateStatus()
    {
        await using var plane = new ControlPlane();
        var zip = Zips.WithBootstrap();

        var created = await plane.Functions.CreateAsync(ControlPlane.CreateRequest("hello", zip), None);

        Assert.Equal("Pending", created.State);
        Assert.Equal("The function is being created.", created.StateReason);
        Assert.Equal("Creating", created.StateReasonCode);
        Assert.Null(created.LastUpdateStatus);
        Assert.Null(created.LastUpdateStatusReason);
        Assert.Null(created.LastUpdateStatusReasonCode);
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:hello", created.FunctionArn);
        Assert.Equal("$LATEST", created.Version);
        Assert.Equal("2020-04-10T19:06:32.563+0000", created.LastModified);
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(zip)), created.CodeSha256);
        Assert.Equal(zip.Length, created.CodeSize);
    }

    [Fact]
    public async Task GetConfigurationAsync_BeforeReconcile_StillPending()
    {
        await using var plane = new ControlPlane();
        var created = await plane.Functions.CreateAsync(ControlPlane.CreateRequest("hello"), None);

        var read = await plane.GetConfigurationAsync("hello");

        Assert.Equal("Pending", read.State);
        Assert.Equal(created.RevisionId, read.RevisionId);
    }

    [Fact]
    public async Task ReconcileAsync_CreatedWithBootstrap_BecomesActiveWithNewRevision()
    {
        await using var plane = new ControlPlane();
        var created = await plane.Functions.CreateAsync(ControlPlane.CreateRequest("hello"), None);

        await plane.ReconcileAsync("hello");
        var settled = await plane.GetConfigurationAsync("hello");

        Assert.Equal("Active", settled.State);
        Assert.Null(settled.StateReason);
        Assert.Null(settled.StateReasonCode);
        Assert.Equal("Successful", settled.LastUpdateStatus);
        Assert.Null(settled.LastUpdateStatusReason);
        Assert.Null(settled.LastUpdateStatusReasonCode);
        Assert.NotEqual(created.RevisionId, settled.RevisionId);
        Assert.Equal(created.CodeSha256, settled.CodeSha256);
    }

    [Fact]
    public async Task ReconcileAsync_CalledTwice_LeavesSettledFunctionUnchanged()
    {
        await using var plane = new ControlPlane();
        var active = await plane.CreateActiveAsync("hello");

        await plane.ReconcileAsync("hello");

        Assert.Equal(active.RevisionId, (await plane.GetConfigurationAsync("hello")).RevisionId);
    }

    [Fact]
    public async Task ReconcileAsync_UnknownFunction_DoesNothing()
    {
        await using var plane = new ControlPlane();

        await plane.ReconcileAsync("nobody");
    }

    [Fact]
    public async Task ReconcileAsync_CreatedWithoutBootstrap_BecomesFailed()
    {
        await using var plane = new ControlPlane();
        await plane.Functions.CreateAsync(ControlPlane.CreateRequest("broken", Zips.WithoutBootstrap()), None);

        await plane.ReconcileAsync("broken");
        var settled = await plane.GetConfigurationAsync("broken");

        Assert.Equal("Failed", settled.State);
        Assert.Equal(NoBootstrap, settled.StateReason);
        Assert.Equal("InvalidConfiguration", settled.StateReasonCode);
        Assert.Equal("Failed", settled.LastUpdateStatus);
        Assert.Equal(NoBootstrap, settled.LastUpdateStatusReason);
        Assert.Equal("InvalidConfiguration", settled.LastUpdateStatusReasonCode);
    }

    [Fact]
    public async Task ReconcileAsync_CreatedWithCorruptedEntry_BecomesFailedWithInvalidZip()
    {
        await using var plane = new ControlPlane();
        var zip = Zips.WithBootstrap();
        zip[30 + "bootstrap".Length] = 0x07;
        await plane.Functions.CreateAsync(ControlPlane.CreateRequest("corrupt", zip), None);

        await plane.ReconcileAsync("corrupt");
        var settled = await plane.GetConfigurationAsync("corrupt");

        Assert.Equal("Failed", settled.State);
        Assert.Equal("InvalidZipFileException", settled.StateReasonCode);
        Assert.Equal(
            "Could not unzip uploaded file. Please check your file, then try to upload again. (The archive entry was compressed using an unsupported compression method.)",
            settled.StateReason);
    }

    [Fact]
    public async Task ReconcileAsync_BootstrapOnlyInLayer_BecomesActive()
    {
        await using var plane = new ControlPlane();
        var layer = await plane.Layers.PublishAsync(
            "runtime",
            new PublishLayerVersionRequest { Content = new LayerContentInput(Zips.WithBootstrap(), null, null, null) },
            None);
        var request = ControlPlane.CreateRequest("layered", Zips.WithoutBootstrap()) with { Layers = [layer.LayerVersionArn] };
        await plane.Functions.CreateAsync(request, None);

        await plane.ReconcileAsync("layered");
        var settled = await plane.GetConfigurationAsync("layered");

        Assert.Equal("Active", settled.State);
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:layer:runtime:1", Assert.Single(settled.Layers!).Arn);
    }

    [Fact]
    public async Task CreateAsync_WithPublish_PublishedVersionSettlesToo()
    {
        await using var plane = new ControlPlane();

        var published = await plane.Functions.CreateAsync(ControlPlane.CreateRequest("hello") with { Publish = true }, None);
        await plane.ReconcileAsync("hello");

        Assert.Equal("1", published.Version);
        Assert.Equal("Pending", published.State);
        var version = await plane.Functions.GetConfigurationAsync("hello", "1", None);
        Assert.Equal("Active", version.State);
        Assert.Equal("Successful", version.LastUpdateStatus);
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:hello:1", version.FunctionArn);
    }

    [Fact]
    public async Task UpdateConfigurationAsync_ActiveFunction_IsInProgressUntilReconciled()
    {
        await using var plane = new ControlPlane();
        var active = await plane.CreateActiveAsync("hello");
        plane.Time.Advance(TimeSpan.FromMinutes(1));

        var updating = await plane.Functions.UpdateConfigurationAsync(
            "hello", new UpdateFunctionConfigurationRequest { Description = "second", Timeout = 30 }, None);

        Assert.Equal("InProgress", updating.LastUpdateStatus);
        Assert.Equal("The function is being created.", updating.LastUpdateStatusReason);
        Assert.Equal("Creating", updating.LastUpdateStatusReasonCode);
        Assert.Equal("Active", updating.State);
        Assert.Equal("second", updating.Description);
        Assert.Equal(30, updating.Timeout);
        Assert.Equal("2020-04-10T19:07:32.563+0000", updating.LastModified);
        Assert.NotEqual(active.RevisionId, updating.RevisionId);
    }

    [Fact]
    public async Task UpdateConfigurationAsync_SecondUpdateBeforeReconcile_ThrowsUpdateInProgress()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");
        await plane.Functions.UpdateConfigurationAsync("hello", new UpdateFunctionConfigurationRequest { Description = "first" }, None);

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.Conflict,
            "ResourceConflictException",
            "The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:000000000000:function:hello",
            () => plane.Functions.UpdateConfigurationAsync("hello", new UpdateFunctionConfigurationRequest { Description = "second" }, None));
    }

    [Fact]
    public async Task UpdateCodeAsync_WhileConfigurationUpdateInProgress_ThrowsUpdateInProgress()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");
        await plane.Functions.UpdateConfigurationAsync("hello", new UpdateFunctionConfigurationRequest { Description = "first" }, None);

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.Conflict,
            "ResourceConflictException",
            "The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:000000000000:function:hello",
            () => plane.Functions.UpdateCodeAsync("hello", new UpdateFunctionCodeRequest { ZipFile = Zips.WithBootstrap("#!/bin/sh\n") }, None));
    }

    [Fact]
    public async Task UpdateConfigurationAsync_WhileCreatePending_ThrowsUpdateInProgress()
    {
        await using var plane = new ControlPlane();
        await plane.Functions.CreateAsync(ControlPlane.CreateRequest("hello"), None);

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.Conflict,
            "ResourceConflictException",
            "The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:000000000000:function:hello",
            () => plane.Functions.UpdateConfigurationAsync("hello", new UpdateFunctionConfigurationRequest { Description = "x" }, None));
    }

    [Fact]
    public async Task ReconcileAsync_AfterConfigurationUpdate_IsSuccessfulAndAcceptsNextUpdate()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");
        var updating = await plane.Functions.UpdateConfigurationAsync(
            "hello", new UpdateFunctionConfigurationRequest { Description = "first" }, None);

        await plane.ReconcileAsync("hello");
        var settled = await plane.GetConfigurationAsync("hello");

        Assert.Equal("Successful", settled.LastUpdateStatus);
        Assert.Null(settled.LastUpdateStatusReason);
        Assert.Null(settled.LastUpdateStatusReasonCode);
        Assert.Equal("Active", settled.State);
        Assert.Equal("first", settled.Description);
        Assert.NotEqual(updating.RevisionId, settled.RevisionId);
        var next = await plane.Functions.UpdateConfigurationAsync(
            "hello", new UpdateFunctionConfigurationRequest { Description = "second" }, None);
        Assert.Equal("InProgress", next.LastUpdateStatus);
    }

    [Fact]
    public async Task UpdateCodeAsync_ZipWithBootstrap_IsSuccessfulWithNewCode()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");
        var zip = Zips.WithBootstrap("#!/bin/sh\necho v2\n");

        var updating = await plane.Functions.UpdateCodeAsync("hello", new UpdateFunctionCodeRequest { ZipFile = zip }, None);
        await plane.ReconcileAsync("hello");
        var settled = await plane.GetConfigurationAsync("hello");

        Assert.Equal("InProgress", updating.LastUpdateStatus);
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(zip)), updating.CodeSha256);
        Assert.Equal("Successful", settled.LastUpdateStatus);
        Assert.Equal(updating.CodeSha256, settled.CodeSha256);
    }

    [Fact]
    public async Task ReconcileAsync_CodeUpdateWithoutBootstrap_FailsAndRestoresPreviousCode()
    {
        await using var plane = new ControlPlane();
        var active = await plane.CreateActiveAsync("hello");
        var before = await plane.Functions.GetAsync("hello", null, None);
        var badZip = Zips.WithoutBootstrap();

        var updating = await plane.Functions.UpdateCodeAsync("hello", new UpdateFunctionCodeRequest { ZipFile = badZip }, None);
        plane.Time.Advance(TimeSpan.FromSeconds(5));
        await plane.ReconcileAsync("hello");
        var after = await plane.Functions.GetAsync("hello", null, None);
        var settled = after.Configuration;

        Assert.Equal(Convert.ToBase64String(SHA256.HashData(badZip)), updating.CodeSha256);
        Assert.Equal("Failed", settled.LastUpdateStatus);
        Assert.Equal(NoBootstrap, settled.LastUpdateStatusReason);
        Assert.Equal("InvalidConfiguration", settled.LastUpdateStatusReasonCode);
        Assert.Equal("Active", settled.State);
        Assert.Equal(active.CodeSha256, settled.CodeSha256);
        Assert.Equal(active.CodeSize, settled.CodeSize);
        Assert.Equal(before.CodeId, after.CodeId);
        Assert.Equal("2020-04-10T19:06:37.563+0000", settled.LastModified);
        Assert.NotEqual(updating.RevisionId, settled.RevisionId);
        Assert.NotEqual(active.RevisionId, settled.RevisionId);
    }

    [Fact]
    public async Task ReconcileAsync_FailedCodeUpdate_AllowsNextUpdate()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");
        await plane.Functions.UpdateCodeAsync("hello", new UpdateFunctionCodeRequest { ZipFile = Zips.WithoutBootstrap() }, None);
        await plane.ReconcileAsync("hello");

        await plane.Functions.UpdateCodeAsync("hello", new UpdateFunctionCodeRequest { ZipFile = Zips.WithBootstrap("#!/bin/sh\necho v3\n") }, None);
        await plane.ReconcileAsync("hello");

        var settled = await plane.GetConfigurationAsync("hello");
        Assert.Equal("Successful", settled.LastUpdateStatus);
        Assert.Null(settled.LastUpdateStatusReason);
    }

    [Fact]
    public async Task ReconcileAsync_ConfigurationUpdateToMissingHandler_FailsAndRestoresPreviousConfiguration()
    {
        await using var plane = new ControlPlane(runtimes: ["provided.al2023", "python3.12"]);
        await plane.CreateActiveAsync("hello");

        await plane.Functions.UpdateConfigurationAsync(
            "hello",
            new UpdateFunctionConfigurationRequest { Runtime = "python3.12", Handler = "app.handler", Description = "python now" },
            None);
        await plane.ReconcileAsync("hello");
        var settled = await plane.GetConfigurationAsync("hello");

        Assert.Equal("Failed", settled.LastUpdateStatus);
        Assert.Equal("Unable to import module 'app': No module named 'app'", settled.LastUpdateStatusReason);
        Assert.Equal("InvalidConfiguration", settled.LastUpdateStatusReasonCode);
        Assert.Equal("provided.al2023", settled.Runtime);
        Assert.Equal("bootstrap", settled.Handler);
        Assert.Equal("", settled.Description);
    }

    [Fact]
    public async Task ReconcileAsync_VersionsSettle_ObserversAreToldOfTheActiveOnesOnly()
    {
        var observer = new RecordingObserver();
        await using var plane = new ControlPlane(configure: s => s.AddSingleton<ISettledVersionObserver>(observer));
        await plane.Functions.CreateAsync(ControlPlane.CreateRequest("good", Zips.WithBootstrap()), None);
        await plane.Functions.CreateAsync(ControlPlane.CreateRequest("broken", Zips.WithoutBootstrap()), None);

        await plane.ReconcileAsync("good");
        await plane.ReconcileAsync("broken");

        Assert.Equal(["good:$LATEST:Active"], observer.Seen);
    }

    [Fact]
    public async Task ReconcileAsync_AnObserverFails_TheVersionSettlesAnyway()
    {
        await using var plane = new ControlPlane(configure: s => s.AddSingleton<ISettledVersionObserver>(new FailingObserver()));
        await plane.Functions.CreateAsync(ControlPlane.CreateRequest("f", Zips.WithBootstrap()), None);

        await plane.ReconcileAsync("f");

        Assert.Equal("Active", (await plane.GetConfigurationAsync("f")).State);
    }

    private sealed class RecordingObserver : ISettledVersionObserver
    {
        public List<string> Seen { get; } = [];

        public ValueTask OnSettledAsync(FunctionVersionRecord version, CancellationToken cancellationToken)
        {
            Seen.Add($"{version.Configuration.FunctionName}:{version.Configuration.Version}:{version.Configuration.State}");
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FailingObserver : ISettledVersionObserver
    {
        public ValueTask OnSettledAsync(FunctionVersionRecord version, CancellationToken cancellationToken) =>
            ValueTask.FromException(new InvalidOperationException("observer failed"));
    }
}
