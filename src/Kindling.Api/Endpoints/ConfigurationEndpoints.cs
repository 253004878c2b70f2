using Kindling.Functions.Model;
using Kindling.Functions.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kindling.Api.Endpoints;

/// <summary>Concurrency, event invoke configs, permissions, function URLs, tags and account settings.</summary>
internal static class ConfigurationEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPut("/2017-10-31/functions/{functionName}/concurrency", async (HttpContext context, string functionName, ConcurrencyService service) =>
            Http.Json(await service.PutReservedAsync(functionName, await Hosting.RequestBody.ParseAsync<Concurrency>(context), context.RequestAborted)));
        app.MapGet("/2019-09-30/functions/{functionName}/concurrency", async (HttpContext context, string functionName, ConcurrencyService service) =>
            Http.Json(await service.GetReservedAsync(functionName, context.RequestAborted)));
        app.MapDelete("/2017-10-31/functions/{functionName}/concurrency", async (HttpContext context, string functionName, ConcurrencyService service) =>
        {
            await service.DeleteReservedAsync(functionName, context.RequestAborted);
            return Http.NoContent();
        });

        const string provisioned = "/2019-09-30/functions/{functionName}/provisioned-concurrency";
        app.MapPut(provisioned, async (HttpContext context, string functionName, ConcurrencyService service) =>
            Http.Json(await service.PutProvisionedAsync(functionName, Http.Query(context, "Qualifier"),
                await Hosting.RequestBody.ParseAsync<ProvisionedConcurrencyRequest>(context), context.RequestAborted), StatusCodes.Status202Accepted));
        app.MapGet(provisioned, async (HttpContext context, string functionName, ConcurrencyService service) =>
        {
            if (Http.Query(context, "List") == "ALL")
            {
                var (configs, next) = await service.ListProvisionedAsync(functionName, Http.Query(context, "Marker"), Http.QueryInt(context, "MaxItems"), context.RequestAborted);
                return Http.Json(new { ProvisionedConcurrencyConfigs = configs, NextMarker = next });
            }

            return Http.Json(await service.GetProvisionedAsync(functionName, Http.Query(context, "Qualifier"), context.RequestAborted));
        });
        app.MapDelete(provisioned, async (HttpContext context, string functionName, ConcurrencyService service) =>
        {
            await service.DeleteProvisionedAsync(functionName, Http.Query(context, "Qualifier"), context.RequestAborted);
            return Http.NoContent();
        });

        const string invokeConfig = "/2019-09-25/functions/{functionName}/event-invoke-config";
        app.MapPut(invokeConfig, async (HttpContext context, string functionName, EventInvokeConfigService service) =>
            Http.Json(await service.PutAsync(functionName, Http.Query(context, "Qualifier"),
                await Hosting.RequestBody.ParseAsync<EventInvokeConfigRequest>(context), merge: false, context.RequestAborted)));
        app.MapPost(invokeConfig, async (HttpContext context, string functionName, EventInvokeConfigService service) =>
            Http.Json(await service.PutAsync(functionName, Http.Query(context, "Qualifier"),
                await Hosting.RequestBody.ParseAsync<EventInvokeConfigRequest>(context), merge: true, context.RequestAborted)));
        app.MapGet(invokeConfig, async (HttpContext context, string functionName, EventInvokeConfigService service) =>
            Http.Json(await service.GetAsync(functionName, Http.Query(context, "Qualifier"), context.RequestAborted)));
        app.MapDelete(invokeConfig, async (HttpContext context, string functionName, EventInvokeConfigService service) =>
        {
            await service.DeleteAsync(functionName, Http.Query(context, "Qualifier"), context.RequestAborted);
            return Http.NoContent();
        });
        app.MapGet(invokeConfig + "/list", async (HttpContext context, string functionName, EventInvokeConfigService service) =>
        {
            var (configs, next) = await service.ListAsync(functionName, Http.Query(context, "Marker"), Http.QueryInt(context, "MaxItems"), context.RequestAborted);
            return Http.Json(new { FunctionEventInvokeConfigs = configs, NextMarker = next });
        });

        const string policy = "/2015-03-31/functions/{functionName}/policy";
        app.MapPost(policy, async (HttpContext context, string functionName, PolicyService service) =>
        {
            var statement = await service.AddAsync(functionName, Http.Query(context, "Qualifier"),
                await Hosting.RequestBody.ParseAsync<AddPermissionRequest>(context), context.RequestAborted);
            return Http.Json(new { Statement = statement }, StatusCodes.Status201Created);
        });
        app.MapGet(policy, async (HttpContext context, string functionName, PolicyService service) =>
        {
            var (document, revision) = await service.GetAsync(functionName, Http.Query(context, "Qualifier"), context.RequestAborted);
            return Http.Json(new { Policy = document, RevisionId = revision });
        });
        app.MapDelete(policy + "/{statementId}", async (HttpContext context, string functionName, string statementId, PolicyService service) =>
        {
            await service.RemoveAsync(functionName, statementId, Http.Query(context, "Qualifier"), Http.Query(context, "RevisionId"), context.RequestAborted);
            return Http.NoContent();
        });

        const string url = "/2021-10-31/functions/{functionName}/url";
        app.MapPost(url, async (HttpContext context, string functionName, FunctionUrlService service) =>
            Http.Json(await service.CreateAsync(functionName, Http.Query(context, "Qualifier"),
                await Hosting.RequestBody.ParseAsync<FunctionUrlRequest>(context), context.RequestAborted), StatusCodes.Status201Created));
        app.MapGet(url, async (HttpContext context, string functionName, FunctionUrlService service) =>
            Http.Json(await service.GetAsync(functionName, Http.Query(context, "Qualifier"), context.RequestAborted)));
        app.MapPut(url, async (HttpContext context, string functionName, FunctionUrlService service) =>
            Http.Json(await service.UpdateAsync(functionName, Http.Query(context, "Qualifier"),
                await Hosting.RequestBody.ParseAsync<FunctionUrlRequest>(context), context.RequestAborted)));
        app.MapDelete(url, async (HttpContext context, string functionName, FunctionUrlService service) =>
        {
            await service.DeleteAsync(functionName, Http.Query(context, "Qualifier"), context.RequestAborted);
            return Http.NoContent();
        });
        app.MapGet("/2021-10-31/functions/{functionName}/urls", async (HttpContext context, string functionName, FunctionUrlService service) =>
        {
            var (configs, next) = await service.ListAsync(functionName, Http.Query(context, "Marker"), Http.QueryInt(context, "MaxItems"), context.RequestAborted);
            return Http.Json(new { FunctionUrlConfigs = configs, NextMarker = next });
        });

        const string tags = "/2017-03-31/tags/{resource}";
        app.MapGet(tags, async (HttpContext context, string resource, TagService service) =>
            Http.Json(new { Tags = await service.ListAsync(resource, context.RequestAborted) }));
        app.MapPost(tags, async (HttpContext context, string resource, TagService service) =>
        {
            var request = await Hosting.RequestBody.ParseAsync<TagResourceRequest>(context);
            await service.TagAsync(resource, request.Tags, context.RequestAborted);
            return Http.NoContent();
        });
        app.MapDelete(tags, async (HttpContext context, string resource, TagService service) =>
        {
            var keys = context.Request.Query["tagKeys"].Where(k => k is not null).Select(k => k!).ToList();
            await service.UntagAsync(resource, keys, context.RequestAborted);
            return Http.NoContent();
        });

        app.MapGet("/2016-08-19/account-settings", async (HttpContext context, AccountService service) =>
            Http.Json(await service.GetAsync(context.RequestAborted)));

        const string mappings = "/2015-03-31/event-source-mappings";
        app.MapPost(mappings, async (HttpContext context, EventSourceMappingService service) =>
            Http.Json(await service.CreateAsync(await Hosting.RequestBody.ParseAsync<EventSourceMappingRequest>(context), context.RequestAborted), StatusCodes.Status202Accepted));
        app.MapGet(mappings, async (HttpContext context, EventSourceMappingService service) =>
        {
            var (list, next) = await service.ListAsync(Http.Query(context, "EventSourceArn"), Http.Query(context, "FunctionName"),
                Http.Query(context, "Marker"), Http.QueryInt(context, "MaxItems"), context.RequestAborted);
            return Http.Json(new { EventSourceMappings = list, NextMarker = next });
        });
        app.MapGet(mappings + "/{uuid}", async (HttpContext context, string uuid, EventSourceMappingService service) =>
            Http.Json(await service.GetAsync(uuid, context.RequestAborted)));
        app.MapPut(mappings + "/{uuid}", async (HttpContext context, string uuid, EventSourceMappingService service) =>
            Http.Json(await service.UpdateAsync(uuid, await Hosting.RequestBody.ParseAsync<EventSourceMappingRequest>(context), context.RequestAborted), StatusCodes.Status202Accepted));
        app.MapDelete(mappings + "/{uuid}", async (HttpContext context, string uuid, EventSourceMappingService service) =>
            Http.Json(await service.DeleteAsync(uuid, context.RequestAborted), StatusCodes.Status202Accepted));
    }
}
