using System.Net;
using System.Security.Cryptography;
using Kindling.Functions.Model;
using Kindling.Functions.Tests.TestSupport;

namespace Kindling.Functions.Tests.Services;

public sealed class FunctionServiceTests
{
    private const string RevisionMismatch =
        "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id";

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task CreateAsync_ExistingName_ThrowsConflict()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.Conflict,
            "ResourceConflictException",
            "Function already exist: hello",
            () => plane.Functions.CreateAsync(ControlPlane.CreateRequest("hello"), None));
    }

    [Fact]
    public async Task CreateAsync_ExistingNameGivenAsArn_ThrowsConflictWithPlainName()
    {
        await using var plane = new ControlPlane();
        await plane.Functions.CreateAsync(ControlPlane.CreateRequest("hello"), None);

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.Conflict,
            "ResourceConflictException",
            "Function already exist: hello",
            () => plane.Functions.CreateAsync(ControlPlane.CreateRequest("arn:aws:lambda:us-east-1:000000000000:function:hello"), None));
    }

    [Fact]
    public async Task CreateAsync_FullArn_CreatesFunctionNamedByIt()
    {
        await using var plane = new ControlPlane();

        var created = await plane.Functions.CreateAsync(ControlPlane.CreateRequest("000000000000:function:from-arn"), None);

        Assert.Equal("from-arn", created.FunctionName);
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:from-arn", created.FunctionArn);
    }

    [Fact]
    public async Task CreateAsync_QualifiedName_ThrowsInvalidParameter()
    {
        await using var plane = new ControlPlane();

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "Unsupported function name format: a qualifier is not allowed when creating a function.",
            () => plane.Functions.CreateAsync(ControlPlane.CreateRequest("hello:live"), None));
    }

    [Fact]
    public async Task CreateAsync_MissingRequiredMembers_ThrowsThreeValidationErrors()
    {
        await using var plane = new ControlPlane();

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "ValidationException",
            "3 validation errors detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null; "
            + "Value null at 'role' failed to satisfy constraint: Member must not be null; "
            + "Value null at 'code' failed to satisfy constraint: Member must not be null",
            () => plane.Functions.CreateAsync(new CreateFunctionRequest(), None));
    }

    [Fact]
    public async Task CreateAsync_InvalidName_ThrowsValidationWithPattern()
    {
        await using var plane = new ControlPlane();

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "ValidationException",
            "1 validation error detected: Value 'bad name' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
            + @"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?",
            () => plane.Functions.CreateAsync(ControlPlane.CreateRequest("bad name"), None));
    }

    [Fact]
    public async Task CreateAsync_UnavailableRuntime_ThrowsInvalidParameter()
    {
        await using var plane = new ControlPlane();

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "The runtime parameter of nodejs22.x is not supported by this Kindling host. Available runtimes: provided, provided.al2, provided.al2023.",
            () => plane.Functions.CreateAsync(ControlPlane.CreateRequest("hello") with { Runtime = "nodejs22.x", Handler = "index.handler" }, None));
    }

    [Fact]
    public async Task CreateAsync_NotAZip_ThrowsInvalidParameterAndStoresNothing()
    {
        await using var plane = new ControlPlane();

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "Could not unzip uploaded file. Please check your file, then try to upload again.",
            () => plane.Functions.CreateAsync(ControlPlane.CreateRequest("hello", "not a zip"u8.ToArray()), None));
        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.NotFound,
            "ResourceNotFoundException",
            "Function not found: arn:aws:lambda:us-east-1:000000000000:function:hello",
            () => plane.GetConfigurationAsync("hello"));
    }

    [Fact]
    public async Task CreateAsync_NoCode_ThrowsInvalidParameter()
    {
        await using var plane = new ControlPlane();

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "Please provide a source for function code.",
            () => plane.Functions.CreateAsync(ControlPlane.CreateRequest("hello") with { Code = new FunctionCode() }, None));
    }

    [Fact]
    public async Task CreateAsync_UnknownLayer_ThrowsInvalidParameter()
    {
        await using var plane = new ControlPlane();
        const string Layer = "arn:aws:lambda:us-east-1:000000000000:layer:missing:1";

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            $"Layer version {Layer} does not exist.",
            () => plane.Functions.CreateAsync(ControlPlane.CreateRequest("hello") with { Layers = [Layer] }, None));
    }

    [Fact]
    public async Task GetAsync_ExistingFunction_ReturnsTagsAndCodeId()
    {
        await using var plane = new ControlPlane();
        await plane.Functions.CreateAsync(
            ControlPlane.CreateRequest("hello") with { Tags = new Dictionary<string, string> { ["team"] = "core" } }, None);

        var result = await plane.Functions.GetAsync("hello", null, None);

        Assert.Equal("core", result.Tags!["team"]);
        Assert.False(string.IsNullOrEmpty(result.CodeId));
        Assert.Null(result.ReservedConcurrentExecutions);
    }

    [Fact]
    public async Task GetAsync_AfterDelete_ThrowsNotFound()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");

        await plane.Functions.DeleteAsync("hello", null, None);

        var error = await LambdaAssert.ThrowsAsync(
            HttpStatusCode.NotFound,
            "ResourceNotFoundException",
            "Function not found: arn:aws:lambda:us-east-1:000000000000:function:hello",
            () => plane.Functions.GetAsync("hello", null, None));
        Assert.True(error.CapitalMessage);
    }

    [Fact]
    public async Task DeleteAsync_MissingFunction_ThrowsNotFound()
    {
        await using var plane = new ControlPlane();

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.NotFound,
            "ResourceNotFoundException",
            "Function not found: arn:aws:lambda:us-east-1:000000000000:function:ghost",
            () => plane.Functions.DeleteAsync("ghost", null, None));
    }

    [Fact]
    public async Task DeleteAsync_ThenCreateAgain_StartsVersionsAtOne()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");
        await plane.Versions.PublishAsync("hello", new PublishVersionRequest(null, null, null), false, None);
        await plane.Functions.DeleteAsync("hello", null, None);

        await plane.CreateActiveAsync("hello");
        var published = await plane.Versions.PublishAsync("hello", new PublishVersionRequest(null, null, null), false, None);

        Assert.Equal("1", published.Version);
    }

    [Fact]
    public async Task DeleteAsync_LatestQualifier_ThrowsInvalidParameter()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "$LATEST version cannot be deleted without deleting the function.",
            () => plane.Functions.DeleteAsync("hello", "$LATEST", None));
    }

    [Fact]
    public async Task DeleteAsync_PublishedVersion_RemovesOnlyThatVersion()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");
        await plane.Versions.PublishAsync("hello", new PublishVersionRequest(null, null, null), false, None);

        await plane.Functions.DeleteAsync("hello", "1", None);

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.NotFound,
            "ResourceNotFoundException",
            "Function not found: arn:aws:lambda:us-east-1:000000000000:function:hello:1",
            () => plane.Functions.GetConfigurationAsync("hello", "1", None));
        Assert.Equal("Active", (await plane.GetConfigurationAsync("hello")).State);
    }

    [Fact]
    public async Task GetConfigurationAsync_ConflictingQualifiers_ThrowsInvalidParameter()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "The derived qualifier from the function name does not match the specified qualifier.",
            () => plane.Functions.GetConfigurationAsync("hello:1", "2", None));
    }

    [Fact]
    public async Task UpdateConfigurationAsync_StaleRevisionId_ThrowsPreconditionFailed()
    {
        await using var plane = new ControlPlane();
        var created = await plane.Functions.CreateAsync(ControlPlane.CreateRequest("hello"), None);
        await plane.ReconcileAsync("hello");

        // The create's revision changed when the function became Active.
        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.PreconditionFailed,
            "PreconditionFailedException",
            RevisionMismatch,
            () => plane.Functions.UpdateConfigurationAsync(
                "hello", new UpdateFunctionConfigurationRequest { Description = "x", RevisionId = created.RevisionId }, None));
    }

    [Fact]
    public async Task UpdateConfigurationAsync_CurrentRevisionId_Updates()
    {
        await using var plane = new ControlPlane();
        var active = await plane.CreateActiveAsync("hello");

        var updated = await plane.Functions.UpdateConfigurationAsync(
            "hello", new UpdateFunctionConfigurationRequest { Description = "x", RevisionId = active.RevisionId }, None);

        Assert.Equal("x", updated.Description);
    }

    [Fact]
    public async Task UpdateCodeAsync_StaleRevisionId_ThrowsPreconditionFailed()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.PreconditionFailed,
            "PreconditionFailedException",
            RevisionMismatch,
            () => plane.Functions.UpdateCodeAsync(
                "hello", new UpdateFunctionCodeRequest { ZipFile = Zips.WithBootstrap("#!/bin/sh\n"), RevisionId = Guid.NewGuid().ToString() }, None));
    }

    [Fact]
    public async Task UpdateCodeAsync_DryRun_ReportsNewHashWithoutChangingFunction()
    {
        await using var plane = new ControlPlane();
        var active = await plane.CreateActiveAsync("hello");
        var zip = Zips.WithBootstrap("#!/bin/sh\necho dry\n");

        var dry = await plane.Functions.UpdateCodeAsync("hello", new UpdateFunctionCodeRequest { ZipFile = zip, DryRun = true }, None);

        Assert.Equal(Convert.ToBase64String(SHA256.HashData(zip)), dry.CodeSha256);
        Assert.Equal(zip.Length, dry.CodeSize);
        var after = await plane.GetConfigurationAsync("hello");
        Assert.Equal(active.CodeSha256, after.CodeSha256);
        Assert.Equal(active.RevisionId, after.RevisionId);
        Assert.Equal("Successful", after.LastUpdateStatus);
    }

    [Fact]
    public async Task UpdateCodeAsync_MissingFunction_ThrowsNotFound()
    {
        await using var plane = new ControlPlane();

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.NotFound,
            "ResourceNotFoundException",
            "Function not found: arn:aws:lambda:us-east-1:000000000000:function:ghost",
            () => plane.Functions.UpdateCodeAsync("ghost", new UpdateFunctionCodeRequest { ZipFile = Zips.WithBootstrap() }, None));
    }

    [Fact]
    public async Task UpdateCodeAsync_QualifiedName_ThrowsInvalidParameter()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "Unsupported function name format: qualifiers are not allowed for this operation.",
            () => plane.Functions.UpdateCodeAsync("hello:1", new UpdateFunctionCodeRequest { ZipFile = Zips.WithBootstrap() }, None));
    }

    [Fact]
    public async Task ListAsync_MaxItems_PagesThroughFunctionsInNameOrder()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("c");
        await plane.CreateActiveAsync("a");
        await plane.CreateActiveAsync("b");
        await plane.Versions.PublishAsync("a", new PublishVersionRequest(null, null, null), false, None);

        var (first, marker) = await plane.Functions.ListAsync(null, null, 2, None);
        var (second, end) = await plane.Functions.ListAsync(null, marker, 2, None);

        Assert.Equal(["a", "b"], first.Select(f => f.FunctionName));
        Assert.NotNull(marker);
        Assert.Equal(["c"], second.Select(f => f.FunctionName));
        Assert.Null(end);
        Assert.All(first.Concat(second), f =>
        {
            Assert.Null(f.State);
            Assert.Null(f.LastUpdateStatus);
        });
    }

    [Fact]
    public async Task ListAsync_AllVersions_ListsQualifiedArns()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("a");
        await plane.Versions.PublishAsync("a", new PublishVersionRequest(null, null, null), false, None);

        var (functions, marker) = await plane.Functions.ListAsync("ALL", null, null, None);

        Assert.Equal(
            ["arn:aws:lambda:us-east-1:000000000000:function:a:$LATEST", "arn:aws:lambda:us-east-1:000000000000:function:a:1"],
            functions.Select(f => f.FunctionArn));
        Assert.Null(marker);
    }

    [Fact]
    public async Task ListAsync_InvalidMarker_ThrowsInvalidParameter()
    {
        await using var plane = new ControlPlane();

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "Invalid marker: nope",
            () => plane.Functions.ListAsync(null, "nope", null, None));
    }
}
