using System.Net;
using Kindling.Functions.Model;
using Kindling.Functions.Tests.TestSupport;

namespace Kindling.Functions.Tests.Services;

public sealed class AliasServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A function with published versions 1..<paramref name="versions"/>.</summary>
    private static async Task<ControlPlane> WithVersionsAsync(int versions)
    {
        var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");
        for (var i = 1; i <= versions; i++)
        {
            await plane.Functions.UpdateConfigurationAsync("hello", new UpdateFunctionConfigurationRequest { Timeout = i + 1 }, None);
            await plane.ReconcileAsync("hello");
            await plane.Versions.PublishAsync("hello", new PublishVersionRequest(null, null, null), false, None);
        }

        return plane;
    }

    private static AliasRoutingConfiguration Weights(params (string Version, double Weight)[] weights) =>
        new(weights.ToDictionary(w => w.Version, w => w.Weight));

    [Fact]
    public async Task CreateAsync_PublishedVersion_ReturnsAlias()
    {
        await using var plane = await WithVersionsAsync(2);

        var alias = await plane.Aliases.CreateAsync(
            "hello", new AliasRequest { Name = "live", FunctionVersion = "1", RoutingConfig = Weights(("2", 0.25)) }, None);

        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:hello:live", alias.AliasArn);
        Assert.Equal("1", alias.FunctionVersion);
        Assert.Equal(0.25, alias.RoutingConfig!.AdditionalVersionWeights!["2"]);
        Assert.Equal("", alias.Description);
    }

    [Fact]
    public async Task CreateAsync_TwoAdditionalWeights_ThrowsInvalidParameter()
    {
        await using var plane = await WithVersionsAsync(3);

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "Number of items in AdditionalVersionWeights cannot be greater than 1",
            () => plane.Aliases.CreateAsync(
                "hello", new AliasRequest { Name = "live", FunctionVersion = "1", RoutingConfig = Weights(("2", 0.1), ("3", 0.2)) }, None));
    }

    [Fact]
    public async Task CreateAsync_WeightOnMissingVersion_ThrowsInvalidParameter()
    {
        await using var plane = await WithVersionsAsync(1);

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "Function version 5 does not exist.",
            () => plane.Aliases.CreateAsync(
                "hello", new AliasRequest { Name = "live", FunctionVersion = "1", RoutingConfig = Weights(("5", 0.1)) }, None));
    }

    [Fact]
    public async Task CreateAsync_WeightOnPrimaryVersion_ThrowsInvalidParameter()
    {
        await using var plane = await WithVersionsAsync(1);

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "Invalid function version 1. Function version 1 is already included in routing configuration.",
            () => plane.Aliases.CreateAsync(
                "hello", new AliasRequest { Name = "live", FunctionVersion = "1", RoutingConfig = Weights(("1", 0.1)) }, None));
    }

    [Fact]
    public async Task CreateAsync_LatestWithWeights_ThrowsInvalidParameter()
    {
        await using var plane = await WithVersionsAsync(1);

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "$LATEST is not supported for an alias pointing to more than 1 version",
            () => plane.Aliases.CreateAsync(
                "hello", new AliasRequest { Name = "live", FunctionVersion = "$LATEST", RoutingConfig = Weights(("1", 0.1)) }, None));
    }

    [Fact]
    public async Task CreateAsync_WeightOverOne_ThrowsValidation()
    {
        await using var plane = await WithVersionsAsync(2);

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "ValidationException",
            "1 validation error detected: Value '{2=1.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: "
            + "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]",
            () => plane.Aliases.CreateAsync(
                "hello", new AliasRequest { Name = "live", FunctionVersion = "1", RoutingConfig = Weights(("2", 1.5)) }, None));
    }

    [Fact]
    public async Task CreateAsync_MissingVersion_ThrowsNotFound()
    {
        await using var plane = await WithVersionsAsync(1);

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.NotFound,
            "ResourceNotFoundException",
            "Function not found: arn:aws:lambda:us-east-1:000000000000:function:hello:7",
            () => plane.Aliases.CreateAsync("hello", new AliasRequest { Name = "live", FunctionVersion = "7" }, None));
    }

    [Fact]
    public async Task CreateAsync_NumericName_ThrowsValidation()
    {
        await using var plane = await WithVersionsAsync(1);

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "ValidationException",
            "1 validation error detected: Value '12' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
            () => plane.Aliases.CreateAsync("hello", new AliasRequest { Name = "12", FunctionVersion = "1" }, None));
    }

    [Fact]
    public async Task CreateAsync_ExistingAlias_ThrowsConflict()
    {
        await using var plane = await WithVersionsAsync(1);
        await plane.Aliases.CreateAsync("hello", new AliasRequest { Name = "live", FunctionVersion = "1" }, None);

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.Conflict,
            "ResourceConflictException",
            "Alias already exists: arn:aws:lambda:us-east-1:000000000000:function:hello:live",
            () => plane.Aliases.CreateAsync("hello", new AliasRequest { Name = "live", FunctionVersion = "$LATEST" }, None));
    }

    [Fact]
    public async Task GetAsync_MissingAlias_ThrowsNotFound()
    {
        await using var plane = await WithVersionsAsync(0);

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.NotFound,
            "ResourceNotFoundException",
            "Cannot find alias arn: arn:aws:lambda:us-east-1:000000000000:function:hello:nope",
            () => plane.Aliases.GetAsync("hello", "nope", None));
    }

    [Fact]
    public async Task UpdateAsync_StaleRevisionId_ThrowsPreconditionFailed()
    {
        await using var plane = await WithVersionsAsync(1);
        await plane.Aliases.CreateAsync("hello", new AliasRequest { Name = "live", FunctionVersion = "1" }, None);

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.PreconditionFailed,
            "PreconditionFailedException",
            "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
            () => plane.Aliases.UpdateAsync("hello", "live", new AliasRequest { Description = "x", RevisionId = "stale" }, None));
    }

    [Fact]
    public async Task UpdateAsync_NewVersion_KeepsOtherSettings()
    {
        await using var plane = await WithVersionsAsync(2);
        var created = await plane.Aliases.CreateAsync("hello", new AliasRequest { Name = "live", FunctionVersion = "1", Description = "d" }, None);

        var updated = await plane.Aliases.UpdateAsync("hello", "live", new AliasRequest { FunctionVersion = "2", RevisionId = created.RevisionId }, None);

        Assert.Equal("2", updated.FunctionVersion);
        Assert.Equal("d", updated.Description);
        Assert.NotEqual(created.RevisionId, updated.RevisionId);
    }

    [Fact]
    public async Task DeleteVersion_ReferencedByAlias_ThrowsConflict()
    {
        await using var plane = await WithVersionsAsync(2);
        await plane.Aliases.CreateAsync("hello", new AliasRequest { Name = "live", FunctionVersion = "1", RoutingConfig = Weights(("2", 0.5)) }, None);

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.Conflict,
            "ResourceConflictException",
            "Unable to delete version because the following aliases reference it: [live]",
            () => plane.Functions.DeleteAsync("hello", "2", None));
    }

    [Fact]
    public async Task GetConfigurationAsync_ThroughAlias_ResolvesPrimaryVersion()
    {
        await using var plane = await WithVersionsAsync(2);
        await plane.Aliases.CreateAsync("hello", new AliasRequest { Name = "live", FunctionVersion = "1" }, None);

        var configuration = await plane.Functions.GetConfigurationAsync("hello", "live", None);

        Assert.Equal("1", configuration.Version);
        Assert.Equal(2, configuration.Timeout);
    }
}
