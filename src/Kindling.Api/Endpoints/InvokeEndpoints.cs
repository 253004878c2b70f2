using System.Text;
using System.Text.Json;
using Kindling.Api.EventStreams;
using Kindling.Api.Hosting;
using Kindling.Functions.Validation;
using Kindling.Invocation.Frontend;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kindling.Api.Endpoints;

/// <summary>Invoke (RequestResponse and DryRun) and InvokeWithResponseStream.</summary>
internal static class InvokeEndpoints
{
    /// <summary>Payload bytes per PayloadChunk event.</summary>
    private const int ChunkBytes = 64 * 1024;

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

        // The function's answer is complete before the first event is written: the worker buffers a streamed
        // response (incremental delivery is a later step); the framing and events are AWS's.
        app.MapPost("/2021-11-15/functions/{functionName}/response-streaming-invocations", async (HttpContext context, string functionName, InvokeService service) =>
        {
            var request = await ReadRequestAsync(context, functionName);
            var errors = new ValidationErrors();
            errors.Enum(request.InvocationType, "invocationType", ["RequestResponse", "DryRun"]);
            errors.ThrowIfAny();
            var response = await service.InvokeAsync(request, context.RequestAborted);
            var output = context.Response;
            WriteHeaders(output, response);
            if (response.StatusCode != StatusCodes.Status200OK)
            {
                return;
            }

            output.ContentType = "application/vnd.amazon.eventstream";
            if (response.FunctionError is null)
            {
                for (var offset = 0; offset < response.Payload.Length; offset += ChunkBytes)
                {
                    var chunk = response.Payload.Slice(offset, Math.Min(ChunkBytes, response.Payload.Length - offset));
                    await output.Body.WriteAsync(EventStreamMessage.Event("PayloadChunk", "application/octet-stream", chunk.Span), context.RequestAborted);
                }
            }

            await output.Body.WriteAsync(
                EventStreamMessage.Event("InvokeComplete", "application/json", CompleteEvent(response)), context.RequestAborted);
        });
    }

    /// <summary><c>{"ErrorCode","ErrorDetails","LogResult"}</c>: the error's type and message, and the log tail if asked for.</summary>
    private static byte[] CompleteEvent(InvokeResponse response)
    {
        var complete = new Dictionary<string, string>(StringComparer.Ordinal);
        if (response.FunctionError is not null)
        {
            var (type, message) = ErrorOf(response.Payload);
            complete["ErrorCode"] = type ?? response.FunctionError;
            complete["ErrorDetails"] = message ?? Encoding.UTF8.GetString(response.Payload.Span);
        }

        if (response.LogResult is not null)
        {
            complete["LogResult"] = response.LogResult;
        }

        return JsonSerializer.SerializeToUtf8Bytes(complete);
    }

    private static (string? Type, string? Message) ErrorOf(ReadOnlyMemory<byte> payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            return root.ValueKind != JsonValueKind.Object
                ? (null, null)
                : (Text(root, "errorType"), Text(root, "errorMessage"));
        }
        catch (JsonException)
        {
            return (null, null);
        }

        static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
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
