using Kindling.Api.Hosting;
using Kindling.Functions.Errors;
using Kindling.Storage.Code;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kindling.Api.Endpoints;

/// <summary>Downloads behind the presigned <c>Code.Location</c> URLs, and a health probe.</summary>
internal static class CodeEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/kindling/code/{codeId}", async (HttpContext context, string codeId, CodeLocations locations, ICodeStore code) =>
        {
            if (!locations.IsValid(codeId, Http.Query(context, "expires"), Http.Query(context, "signature")))
            {
                throw LambdaErrors.AccessDenied("Request has expired or the signature is invalid.");
            }

            if (!await code.ExistsAsync(codeId, context.RequestAborted))
            {
                throw LambdaErrors.NotFound("The specified key does not exist.");
            }

            return Results.Bytes(await code.ReadAsync(codeId, context.RequestAborted), "application/zip");
        });
        app.MapGet("/kindling/health", () => Results.Text("ok"));
    }
}
