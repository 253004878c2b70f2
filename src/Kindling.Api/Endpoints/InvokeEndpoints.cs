using Kindling.Api.EventStreams;
using Kindling.Api.Hosting;
using Kindling.Functions.Validation;
using Kindling.Invocation.Frontend;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kindling.Api.Endpoints;

/// <summary>Invoke (RequestResponse, Event and DryRun), the deprecated InvokeAsync, and InvokeWithResponseStream.</summary>
internal static class InvokeEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/2015-03-31/functions/{functionName}/invocations", async (HttpContext context, string functionName, InvokeService service) =>
        {
            var response = await service.InvokeAsync(await ReadRequestAsync(context, functionName), context.RequestAborted);
            var output = context.Response;
            WriteHeaders(output, response);
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

        // InvokeAsync, the deprecated form of an Event invoke: 202 with {"Status":202} (routing also matches the trailing slash old SDKs send).
        app.MapPost("/2014-11-13/functions/{functionName}/invoke-async", InvokeAsyncAsync);

        // PayloadChunk events as the function streams (awslambda.streamifyResponse), then InvokeComplete.
        app.MapPost("/2021-11-15/functions/{functionName}/response-streaming-invocations", async (HttpContext context, string functionName, InvokeService service) =>
        {
            var request = await ReadRequestAsync(context, functionName);
            var errors = new ValidationErrors();
            errors.Enum(request.InvocationType, "invocationType", ["RequestResponse", "DryRun"]);
            errors.ThrowIfAny();
            var stream = new EventStreamResponse(context.Response, context.RequestAborted);
            InvokeResponse response;
            try
            {
                response = await service.InvokeAsync(request with { ResponseStream = stream }, context.RequestAborted);
            }
            catch (Exception) when (stream.Started)
            {
                // The answer is under way: an error can no longer be one; the client sees the stream end early.
                context.Abort();
                return;
            }

            await stream.CompleteAsync(response);
        });
    }

    private static async Task InvokeAsyncAsync(HttpContext context, string functionName, InvokeService service)
    {
        var request = await ReadRequestAsync(context, functionName);
        await service.InvokeAsync(request with { InvocationType = "Event", LogType = null }, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{\"Status\":202}", context.RequestAborted);
    }

    private static async Task<InvokeRequest> ReadRequestAsync(HttpContext context, string functionName)
    {
        var headers = context.Request.Headers;
        var body = await RequestBody.ReadAsync(context, RequestBody.MaxCodeRequestBytes);
        return new InvokeRequest
        {
            FunctionName = functionName,
            Qualifier = Http.Query(context, "Qualifier"),
            InvocationType = Header(headers, "X-Amz-Invocation-Type"),
            LogType = Header(headers, "X-Amz-Log-Type"),
            ClientContext = Header(headers, "X-Amz-Client-Context"),
            TraceHeader = Header(headers, "X-Amzn-Trace-Id"),
            RequestId = RequestIds.Of(context),
            Payload = body,
        };
    }

    private static void WriteHeaders(HttpResponse output, InvokeResponse response)
    {
        output.StatusCode = response.StatusCode;
        if (response.ExecutedVersion is not null)
        {
            output.Headers["X-Amz-Executed-Version"] = response.ExecutedVersion;
        }
    }

    private static string? Header(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var value) && value.Count > 0 ? value[0] : null;
}
