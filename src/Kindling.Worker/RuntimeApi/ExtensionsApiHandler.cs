using System.Globalization;
using System.Text.Json;
using Kindling.Worker.Extensions;
using Kindling.Worker.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Kindling.Worker.RuntimeApi;

/// <summary>
/// The Extensions API (<c>/2020-01-01/extension/…</c>), the Telemetry API (<c>PUT /2022-07-01/telemetry</c>),
/// the Logs API (<c>PUT /2020-08-15/logs</c>) and the extensions launcher's own routes, with Lambda's status
/// codes and error documents (the Runtime Interface Emulator's: 403 <c>{"errorMessage","errorType"}</c>).
/// </summary>
internal static class ExtensionsApiHandler
{
    public const string ExtensionPrefix = "/2020-01-01/extension/";
    public const string TelemetryPath = "/2022-07-01/telemetry";
    public const string LogsPath = "/2020-08-15/logs";

    private const string NameHeader = "Lambda-Extension-Name";
    private const string IdentifierHeader = "Lambda-Extension-Identifier";
    private const string EventIdentifierHeader = "Lambda-Extension-Event-Identifier";
    private const string ErrorTypeHeader = "Lambda-Extension-Function-Error-Type";
    private const string AcceptFeatureHeader = "Lambda-Extension-Accept-Feature";
    private const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Handles the request if its path is one of these APIs'; null otherwise.</summary>
    public static Task? TryRoute(HttpContext context, RuntimeSession session)
    {
        var request = context.Request;
        var path = request.Path.Value.AsSpan();
        if (path.StartsWith(ExtensionPrefix, StringComparison.Ordinal))
        {
            var route = path[ExtensionPrefix.Length..];
            return route switch
            {
                "register" => HttpMethods.IsPost(request.Method) ? RegisterAsync(context, session) : MethodNotAllowed(context),
                "event/next" => HttpMethods.IsGet(request.Method) ? NextAsync(context, session) : MethodNotAllowed(context),
                "init/error" => HttpMethods.IsPost(request.Method) ? ErrorAsync(context, session, init: true) : MethodNotAllowed(context),
                "exit/error" => HttpMethods.IsPost(request.Method) ? ErrorAsync(context, session, init: false) : MethodNotAllowed(context),
                _ => null,
            };
        }

        var trimmed = path.TrimEnd('/');
        if (trimmed.SequenceEqual(TelemetryPath) || trimmed.SequenceEqual(LogsPath))
        {
            var api = trimmed.SequenceEqual(TelemetryPath) ? TelemetryApi.Telemetry : TelemetryApi.Logs;
            return HttpMethods.IsPut(request.Method) ? SubscribeAsync(context, session, api) : MethodNotAllowed(context);
        }

        if (path.StartsWith(ExtensionLauncher.RoutePrefix, StringComparison.Ordinal) && session.Extensions.HasExternal)
        {
            return LauncherAsync(context, session, path[ExtensionLauncher.RoutePrefix.Length..].ToString());
        }

        return null;
    }

    private static async Task RegisterAsync(HttpContext context, RuntimeSession session)
    {
        var body = await ReadBodyAsync(context);
        if (body is null)
        {
            return;
        }

        List<string> events = [];
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("json: cannot unmarshal into Go value of type handler.RegisterRequest");
            }

            if (document.RootElement.TryGetProperty("configurationKeys", out var keys) && keys.ValueKind == JsonValueKind.Array && keys.GetArrayLength() > 0)
            {
                await ForbiddenAsync(context, "InvalidRequestFormat", "configurationKeys are deprecated; use environment variables instead");
                return;
            }

            if (document.RootElement.TryGetProperty("events", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                events.AddRange(list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()));
            }
        }
        catch (JsonException exception)
        {
            await ForbiddenAsync(context, "InvalidRequestFormat", exception.Message);
            return;
        }

        var (extension, error) = session.Extensions.Register(context.Request.Headers[NameHeader].ToString(), events);
        if (error is not null)
        {
            await ForbiddenAsync(context, error.ErrorType, error.Message);
            return;
        }

        var function = session.Function;
        using var buffer = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("functionName"u8, function?.FunctionName ?? string.Empty);
            writer.WriteString("functionVersion"u8, function?.Version ?? string.Empty);
            writer.WriteString("handler"u8, function?.Handler ?? string.Empty);
            if (context.Request.Headers[AcceptFeatureHeader].ToString().Contains("accountId", StringComparison.Ordinal)
                && function?.FunctionArn.Split(':') is { Length: > 4 } arn)
            {
                writer.WriteString("accountId"u8, arn[4]);
            }

            writer.WriteEndObject();
        }

        context.Response.Headers[IdentifierHeader] = extension!.Id;
        await WriteAsync(context, StatusCodes.Status200OK, buffer.ToArray());
    }

    private static async Task NextAsync(HttpContext context, RuntimeSession session)
    {
        var extension = await IdentifyAsync(context, session);
        if (extension is null)
        {
            return;
        }

        var @event = await session.Extensions.NextAsync(extension, context.RequestAborted);
        if (@event is null)
        {
            context.Abort();
            return;
        }

        context.Response.Headers[EventIdentifierHeader] = @event.EventId;
        await WriteAsync(context, StatusCodes.Status200OK, @event.Body);
    }

    private static async Task ErrorAsync(HttpContext context, RuntimeSession session, bool init)
    {
        var extension = await IdentifyAsync(context, session);
        if (extension is null)
        {
            return;
        }

        var errorType = context.Request.Headers[ErrorTypeHeader].ToString();
        if (string.IsNullOrEmpty(errorType))
        {
            await ForbiddenAsync(context, "Extension.MissingHeader", ErrorTypeHeader + " not found");
            return;
        }

        if (await ReadBodyAsync(context) is null)
        {
            return;
        }

        if (init)
        {
            if (!session.Extensions.TryInitError(extension, errorType))
            {
                var error = ExtensionApiError.InvalidState("Ready", "InitError", extension.Id);
                await ForbiddenAsync(context, error.ErrorType, error.Message);
                return;
            }
        }
        else
        {
            session.Extensions.ExitError(extension, errorType);
        }

        await WriteAsync(context, StatusCodes.Status202Accepted, RuntimeApiBodies.Accepted);
    }

    private static async Task SubscribeAsync(HttpContext context, RuntimeSession session, TelemetryApi api)
    {
        var extension = await IdentifyAsync(context, session);
        if (extension is null)
        {
            return;
        }

        var body = await ReadBodyAsync(context);
        if (body is null)
        {
            return;
        }

        var request = SubscriptionRequest.Parse(api, body, out var error);
        if (request is null || session.Telemetry is not { } telemetry)
        {
            var type = api == TelemetryApi.Logs ? "Logs.ValidationError" : "ValidationError";
            await WriteAsync(context, StatusCodes.Status400BadRequest, ErrorDocuments.TypeThenMessage(type, error ?? "Telemetry is not available"));
            return;
        }

        telemetry.Subscribe(extension.Name, request);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers.ContentType = "text/plain";
        response.Headers.ContentLength = 2;
        await response.BodyWriter.WriteAsync("OK"u8.ToArray(), context.RequestAborted);
    }

    private static async Task LauncherAsync(HttpContext context, RuntimeSession session, string route)
    {
        var extensions = session.Extensions;
        var parts = route.Split('/');
        switch (parts)
        {
            case ["extensions-launched"]:
                // The runtime starts once every extension has registered, or never if one failed.
                await Task.WhenAny(extensions.Registered, extensions.Failed).WaitAsync(context.RequestAborted);
                break;
            case ["extension-exited", var name, var status]:
                extensions.OnExited(name, int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : 255);
                break;
            case ["runtime-exited", var status]:
                session.ReportRuntimeExit(int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var exit) ? exit : 255);
                break;
            default:
                await WriteAsync(context, StatusCodes.Status404NotFound, RuntimeApiBodies.NotFound);
                return;
        }

        await WriteAsync(context, extensions.Failed.IsCompleted ? StatusCodes.Status409Conflict : StatusCodes.Status200OK, RuntimeApiBodies.Accepted);
    }

    /// <summary>The extension named by Lambda-Extension-Identifier; answers 403 itself and returns null otherwise.</summary>
    private static async Task<Extension?> IdentifyAsync(HttpContext context, RuntimeSession session)
    {
        var id = context.Request.Headers[IdentifierHeader].ToString();
        if (string.IsNullOrEmpty(id))
        {
            await ForbiddenAsync(context, "Extension.MissingExtensionIdentifier", "Missing Lambda-Extension-Identifier header");
            return null;
        }

        if (!Guid.TryParse(id, out _))
        {
            await ForbiddenAsync(context, "Extension.InvalidExtensionIdentifier", "Invalid Lambda-Extension-Identifier");
            return null;
        }

        var extension = session.Extensions.Find(id);
        if (extension is null)
        {
            var error = ExtensionApiError.UnknownIdentifier(id);
            await ForbiddenAsync(context, error.ErrorType, error.Message);
        }

        return extension;
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await RequestBodyReader.ReadAsync(request.BodyReader, request.ContentLength, MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, RuntimeApiBodies.RequestEntityTooLarge);
        }

        return body;
    }

    private static Task ForbiddenAsync(HttpContext context, string errorType, string message)
        => WriteAsync(context, StatusCodes.Status403Forbidden, ErrorDocuments.MessageThenType(message, errorType));

    private static Task MethodNotAllowed(HttpContext context)
        => WriteAsync(context, StatusCodes.Status405MethodNotAllowed, RuntimeApiBodies.MethodNotAllowed);

    private static async Task WriteAsync(HttpContext context, int statusCode, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.Headers.ContentType = "application/json";
        response.Headers.ContentLength = body.Length;
        await response.BodyWriter.WriteAsync(body, context.RequestAborted);
    }
}
