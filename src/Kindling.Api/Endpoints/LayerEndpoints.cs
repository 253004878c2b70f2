using Kindling.Functions.Model;
using Kindling.Functions.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kindling.Api.Endpoints;

/// <summary>Layers and layer permissions.</summary>
internal static class LayerEndpoints
{
    private const string Layers = "/2018-10-31/layers";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Layers, async (HttpContext context, LayerService service) =>
        {
            if (Http.Query(context, "find") == "LayerVersion")
            {
                return Http.Json(await service.GetByArnAsync(Http.Query(context, "Arn") ?? "", context.RequestAborted));
            }

            var (layers, next) = await service.ListAsync(
                Http.Query(context, "CompatibleRuntime"), Http.Query(context, "CompatibleArchitecture"),
                Http.Query(context, "Marker"), Http.QueryInt(context, "MaxItems"), context.RequestAborted);
            return Http.Json(new { Layers = layers, NextMarker = next });
        });
        app.MapPost(Layers + "/{layerName}/versions", async (HttpContext context, string layerName, LayerService service) =>
        {
            var request = await Hosting.RequestBody.ParseAsync<PublishLayerVersionRequest>(context, Hosting.RequestBody.MaxCodeRequestBytes);
            return Http.Json(await service.PublishAsync(layerName, request, context.RequestAborted), StatusCodes.Status201Created);
        });
        app.MapGet(Layers + "/{layerName}/versions", async (HttpContext context, string layerName, LayerService service) =>
        {
            var (versions, next) = await service.ListVersionsAsync(
                layerName, Http.Query(context, "CompatibleRuntime"), Http.Query(context, "CompatibleArchitecture"),
                Http.Query(context, "Marker"), Http.QueryInt(context, "MaxItems"), context.RequestAborted);
            return Http.Json(new { LayerVersions = versions, NextMarker = next });
        });
        app.MapGet(Layers + "/{layerName}/versions/{versionNumber}", async (HttpContext context, string layerName, string versionNumber, LayerService service) =>
            Http.Json(await service.GetAsync(layerName, Http.PathLong(versionNumber, "versionNumber"), context.RequestAborted)));
        app.MapDelete(Layers + "/{layerName}/versions/{versionNumber}", async (HttpContext context, string layerName, string versionNumber, LayerService service) =>
        {
            await service.DeleteAsync(layerName, Http.PathLong(versionNumber, "versionNumber"), context.RequestAborted);
            return Http.NoContent();
        });
        app.MapPost(Layers + "/{layerName}/versions/{versionNumber}/policy", async (HttpContext context, string layerName, string versionNumber, LayerService service) =>
        {
            var request = await Hosting.RequestBody.ParseAsync<AddLayerVersionPermissionRequest>(context);
            var (statement, revision) = await service.AddPermissionAsync(layerName, Http.PathLong(versionNumber, "versionNumber"), request, context.RequestAborted);
            return Http.Json(new { Statement = statement, RevisionId = revision }, StatusCodes.Status201Created);
        });
        app.MapGet(Layers + "/{layerName}/versions/{versionNumber}/policy", async (HttpContext context, string layerName, string versionNumber, LayerService service) =>
        {
            var (policy, revision) = await service.GetPolicyAsync(layerName, Http.PathLong(versionNumber, "versionNumber"), context.RequestAborted);
            return Http.Json(new { Policy = policy, RevisionId = revision });
        });
        app.MapDelete(Layers + "/{layerName}/versions/{versionNumber}/policy/{statementId}", async (HttpContext context, string layerName, string versionNumber, string statementId, LayerService service) =>
        {
            await service.RemovePermissionAsync(layerName, Http.PathLong(versionNumber, "versionNumber"), statementId, Http.Query(context, "RevisionId"), context.RequestAborted);
            return Http.NoContent();
        });
    }
}
