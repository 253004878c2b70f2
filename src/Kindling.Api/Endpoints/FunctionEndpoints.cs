using Kindling.Functions.Model;
using Kindling.Functions.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kindling.Api.Endpoints;

/// <summary>Functions, versions and aliases.</summary>
internal static class FunctionEndpoints
{
    private const string Functions = "/2015-03-31/functions";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Functions, async (HttpContext context, FunctionService service) =>
        {
            var request = await Hosting.RequestBody.ParseAsync<CreateFunctionRequest>(context, Hosting.RequestBody.MaxCodeRequestBytes);
            return Http.Json(await service.CreateAsync(request, context.RequestAborted), StatusCodes.Status201Created);
        });
        app.MapGet(Functions, async (HttpContext context, FunctionService service) =>
        {
            var (functions, next) = await service.ListAsync(
                Http.Query(context, "FunctionVersion"), Http.Query(context, "Marker"), Http.QueryInt(context, "MaxItems"), context.RequestAborted);
            return Http.Json(new { Functions = functions, NextMarker = next });
        });
        app.MapGet(Functions + "/{functionName}", async (HttpContext context, string functionName, FunctionService service, ICodeLocations locations) =>
        {
            var result = await service.GetAsync(functionName, Http.Query(context, "Qualifier"), context.RequestAborted);
            return Http.Json(new
            {
                result.Configuration,
                Code = new { RepositoryType = "S3", Location = locations.For(result.CodeId) },
                result.Tags,
                Concurrency = result.ReservedConcurrentExecutions is { } reserved ? new Concurrency(reserved) : null,
            });
        });
        app.MapGet(Functions + "/{functionName}/configuration", async (HttpContext context, string functionName, FunctionService service) =>
            Http.Json(await service.GetConfigurationAsync(functionName, Http.Query(context, "Qualifier"), context.RequestAborted)));
        app.MapPut(Functions + "/{functionName}/configuration", async (HttpContext context, string functionName, FunctionService service) =>
        {
            var request = await Hosting.RequestBody.ParseAsync<UpdateFunctionConfigurationRequest>(context);
            return Http.Json(await service.UpdateConfigurationAsync(functionName, request, context.RequestAborted));
        });
        app.MapPut(Functions + "/{functionName}/code", async (HttpContext context, string functionName, FunctionService service) =>
        {
            var request = await Hosting.RequestBody.ParseAsync<UpdateFunctionCodeRequest>(context, Hosting.RequestBody.MaxCodeRequestBytes);
            return Http.Json(await service.UpdateCodeAsync(functionName, request, context.RequestAborted));
        });
        app.MapDelete(Functions + "/{functionName}", async (HttpContext context, string functionName, FunctionService service) =>
        {
            await service.DeleteAsync(functionName, Http.Query(context, "Qualifier"), context.RequestAborted);
            return Http.NoContent();
        });

        app.MapPost(Functions + "/{functionName}/versions", async (HttpContext context, string functionName, VersionService service) =>
        {
            var request = await Hosting.RequestBody.ParseAsync<PublishVersionRequest>(context);
            return Http.Json(await service.PublishAsync(functionName, request, allowPending: false, context.RequestAborted), StatusCodes.Status201Created);
        });
        app.MapGet(Functions + "/{functionName}/versions", async (HttpContext context, string functionName, VersionService service) =>
        {
            var (versions, next) = await service.ListAsync(functionName, Http.Query(context, "Marker"), Http.QueryInt(context, "MaxItems"), context.RequestAborted);
            return Http.Json(new { Versions = versions, NextMarker = next });
        });

        app.MapPost(Functions + "/{functionName}/aliases", async (HttpContext context, string functionName, AliasService service) =>
        {
            var request = await Hosting.RequestBody.ParseAsync<AliasRequest>(context);
            return Http.Json(await service.CreateAsync(functionName, request, context.RequestAborted), StatusCodes.Status201Created);
        });
        app.MapGet(Functions + "/{functionName}/aliases", async (HttpContext context, string functionName, AliasService service) =>
        {
            var (aliases, next) = await service.ListAsync(
                functionName, Http.Query(context, "FunctionVersion"), Http.Query(context, "Marker"), Http.QueryInt(context, "MaxItems"), context.RequestAborted);
            return Http.Json(new { Aliases = aliases, NextMarker = next });
        });
        app.MapGet(Functions + "/{functionName}/aliases/{name}", async (HttpContext context, string functionName, string name, AliasService service) =>
            Http.Json(await service.GetAsync(functionName, name, context.RequestAborted)));
        app.MapPut(Functions + "/{functionName}/aliases/{name}", async (HttpContext context, string functionName, string name, AliasService service) =>
        {
            var request = await Hosting.RequestBody.ParseAsync<AliasRequest>(context);
            return Http.Json(await service.UpdateAsync(functionName, name, request, context.RequestAborted));
        });
        app.MapDelete(Functions + "/{functionName}/aliases/{name}", async (HttpContext context, string functionName, string name, AliasService service) =>
        {
            await service.DeleteAsync(functionName, name, context.RequestAborted);
            return Http.NoContent();
        });
    }
}
