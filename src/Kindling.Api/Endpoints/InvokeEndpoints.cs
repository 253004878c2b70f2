using Kindling.Api.Hosting;
using Kindling.Invocation.Frontend;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kindling.Api.Endpoints;

/// <summary>Invoke (RequestResponse and DryRun).</summary>
internal static class InvokeEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/2015-03-31/functions/{functionName}/invocations", async (HttpContext context, string functionName, InvokeService service) =>
        {
            var headers = context.Request.Headers;
            var body = await RequestBody.ReadAsync(context, RequestBody.MaxCodeRequestBytes);
            var response = await service.InvokeAsync(
                new InvokeRequest
                {
                    FunctionName = functionName,
                    Qualifier = Http.Query(context, "Qualifier"),
                    InvocationType = Header(headers, "X-Amz-Invocation-Type"),
                    LogType = Header(headers, "X-Amz-Log-Type"),
                    ClientContext = Header(headers, "X-Amz-Client-Context"),
                    TraceHeader = Header(headers, "X-Amzn-Trace-Id"),
                    RequestId = RequestIds.Of(context),
                    Payload = body,
                },
                context.RequestAborted);

            var output = context.Response;
            output.StatusCode = response.StatusCode;
            if (response.ExecutedVersion is not null)
            {
                output.Headers["X-Amz-Executed-Version"] = response.ExecutedVersion;
            }

            if (response.FunctionError is not null)
            {
                output.Headers["X-Amz-Function-Error"] = response.FunctionError;
            }

            if (response.LogResult is not null)
            {
                output.Headers["X-Amz-Log-Result"] = response.LogResult;
            }

            if (response.StatusCode == StatusCodes.Status200OK)
            {
                output.ContentType = "application/json";
                output.ContentLength = response.Payload.Length;
                await output.Body.WriteAsync(response.Payload, context.RequestAborted);
            }
        });
    }

    private static string? Header(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var value) && value.Count > 0 ? value[0] : null;
}
