using System.Globalization;
using Kindling.Invocation.Environments;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Kindling.Worker.RuntimeApi;

/// <summary>
/// The Runtime API (lambda-api.md §4) as one terminal request delegate: the routes are matched by hand, the
/// event goes out of the invocation's memory straight into the response pipe, and responses are read into
/// one exactly sized array.
/// </summary>
internal sealed class RuntimeApiHandler
{
    private const string RuntimePrefix = "/2018-06-01/runtime/";
    private const string InvocationPrefix = "invocation/";
    private const string StreamingMode = "streaming";

    private const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
    private const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";
    private const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
    private const string TraceIdHeader = "Lambda-Runtime-Trace-Id";
    private const string ClientContextHeader = "Lambda-Runtime-Client-Context";
    private const string CognitoIdentityHeader = "Lambda-Runtime-Cognito-Identity";
    private const string ResponseModeHeader = "Lambda-Runtime-Function-Response-Mode";
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";
    private const string ErrorBodyTrailer = "Lambda-Runtime-Function-Error-Body";
    private const string UnknownErrorType = "Runtime.Unknown";
    private const string JsonContentType = "application/json";

    private readonly ILogger _logger;

    public RuntimeApiHandler(ILogger<RuntimeApiHandler> logger)
    {
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var session = context.Features.Get<RuntimeSessionFeature>()?.Session;
        if (session is null)
        {
            await WriteAsync(context, StatusCodes.Status404NotFound, RuntimeApiBodies.NotFound);
            return;
        }

        try
        {
            await RouteAsync(context, session);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException
            || context.RequestAborted.IsCancellationRequested)
        {
            // The runtime hung up (or the environment ended): nobody is left to answer.
            if (!context.RequestAborted.IsCancellationRequested && exception is not OperationCanceledException)
            {
                WorkerLog.RequestFailed(_logger, session.EnvironmentId, exception);
            }

            context.Abort();
        }
    }

    private Task RouteAsync(HttpContext context, RuntimeSession session)
    {
        var request = context.Request;
        var path = request.Path.Value.AsSpan();
        if (!path.StartsWith(RuntimePrefix, StringComparison.Ordinal))
        {
            return ExtensionsApiHandler.TryRoute(context, session) ?? WriteAsync(context, StatusCodes.Status404NotFound, RuntimeApiBodies.NotFound);
        }

        var route = path[RuntimePrefix.Length..];
        if (route.SequenceEqual("invocation/next"))
        {
            return HttpMethods.IsGet(request.Method) ? NextAsync(context, session) : MethodNotAllowed(context);
        }

        if (route.SequenceEqual("init/error"))
        {
            return HttpMethods.IsPost(request.Method) ? InitErrorAsync(context, session) : MethodNotAllowed(context);
        }

        if (route.StartsWith(InvocationPrefix, StringComparison.Ordinal))
        {
            route = route[InvocationPrefix.Length..];
            var slash = route.IndexOf('/');
            if (slash > 0)
            {
                var action = route[(slash + 1)..];
                var isResponse = action.SequenceEqual("response");
                if (isResponse || action.SequenceEqual("error"))
                {
                    if (!HttpMethods.IsPost(request.Method))
                    {
                        return MethodNotAllowed(context);
                    }

                    var invocation = session.Find(route[..slash]);
                    return isResponse ? ResponseAsync(context, invocation) : ErrorAsync(context, invocation);
                }
            }
        }

        return WriteAsync(context, StatusCodes.Status404NotFound, RuntimeApiBodies.NotFound);
    }

    private static async Task NextAsync(HttpContext context, RuntimeSession session)
    {
        var invocation = await session.NextAsync(context.RequestAborted);
        if (invocation is null)
        {
            context.Abort();
            return;
        }

        var request = invocation.Request;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        var headers = response.Headers;
        headers[RequestIdHeader] = request.RequestId;
        headers[DeadlineHeader] = invocation.DeadlineUnixMilliseconds.ToString(CultureInfo.InvariantCulture);
        headers[FunctionArnHeader] = request.InvokedFunctionArn;
        if (!string.IsNullOrEmpty(request.TraceId))
        {
            headers[TraceIdHeader] = request.TraceId;
        }

        if (!string.IsNullOrEmpty(request.ClientContext))
        {
            headers[ClientContextHeader] = request.ClientContext;
        }

        if (!string.IsNullOrEmpty(request.CognitoIdentity))
        {
            headers[CognitoIdentityHeader] = request.CognitoIdentity;
        }

        headers.ContentType = string.IsNullOrEmpty(request.ContentType) ? JsonContentType : request.ContentType;
        headers.ContentLength = request.Payload.Length;
        await response.BodyWriter.WriteAsync(request.Payload, context.RequestAborted);
    }

    private static async Task ResponseAsync(HttpContext context, PendingInvocation? invocation)
    {
        var request = context.Request;
        if (invocation?.Request.ResponseStream is { } sink
            && string.Equals(request.Headers[ResponseModeHeader], StreamingMode, StringComparison.OrdinalIgnoreCase))
        {
            await StreamResponseAsync(context, invocation, sink);
            return;
        }

        var body = await ReadInvocationBodyAsync(context, invocation);
        if (body is null || invocation is null)
        {
            return;
        }

        var outcome = RuntimeOutcome.Response(body);
        if (string.Equals(request.Headers[ResponseModeHeader], StreamingMode, StringComparison.OrdinalIgnoreCase))
        {
            outcome = TrailerErrorOr(request, outcome);
        }

        await AnswerAsync(context, invocation, outcome);
    }

    /// <summary>
    /// A streamed response whose caller reads it as it comes (InvokeWithResponseStream): each chunk is written to the
    /// caller as it arrives, nothing is kept; the invocation's outcome is an empty response, or the error of the
    /// trailers. A caller that went away, or an invocation that ended meanwhile (timeout), stops the forwarding, not
    /// the reading: the runtime finishes its post.
    /// </summary>
    private static async Task StreamResponseAsync(HttpContext context, PendingInvocation invocation, IResponseStream sink)
    {
        var request = context.Request;
        var reader = request.BodyReader;
        long total = 0;
        var forwarding = true;
        while (true)
        {
            var result = await reader.ReadAsync(context.RequestAborted);
            foreach (var segment in result.Buffer)
            {
                total += segment.Length;
                if (forwarding && !invocation.Outcome.IsCompleted)
                {
                    try
                    {
                        await sink.WriteAsync(segment, context.RequestAborted);
                    }
                    catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
                    {
                        forwarding = false;
                    }
                }
            }

            reader.AdvanceTo(result.Buffer.End);
            if (total > RuntimeApiBodies.MaxStreamedBytes)
            {
                invocation.TryComplete(RuntimeOutcome.TooLarge);
                await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, RuntimeApiBodies.RequestEntityTooLarge);
                return;
            }

            if (result.IsCompleted)
            {
                break;
            }
        }

        await AnswerAsync(context, invocation, TrailerErrorOr(request, RuntimeOutcome.Response([])));
    }

    /// <summary>A streamed response that failed midway: the error rides in trailers, and replaces the response.</summary>
    private static RuntimeOutcome TrailerErrorOr(HttpRequest request, RuntimeOutcome outcome)
    {
        if (!request.SupportsTrailers() || !request.CheckTrailersAvailable())
        {
            return outcome;
        }

        var errorType = request.GetTrailer(ErrorTypeHeader);
        return StringValues.IsNullOrEmpty(errorType)
            ? outcome
            : RuntimeOutcome.Error(DecodeErrorBody(request.GetTrailer(ErrorBodyTrailer), errorType.ToString()), errorType.ToString());
    }

    /// <summary>Ends the invocation with the runtime's outcome: 202, or 400 when it had already ended.</summary>
    private static Task AnswerAsync(HttpContext context, PendingInvocation invocation, RuntimeOutcome outcome)
    {
        var accepted = invocation.TryComplete(outcome);
        return WriteAsync(
            context,
            accepted ? StatusCodes.Status202Accepted : StatusCodes.Status400BadRequest,
            accepted ? RuntimeApiBodies.Accepted : RuntimeApiBodies.InvalidRequestId);
    }

    /// <summary>
    /// Reads the body of a response or error post. Answers the runtime itself, and returns null, when the request id
    /// is unknown (400) or the body is over the limit (413, which also fails the invocation).
    /// </summary>
    private static async Task<byte[]?> ReadInvocationBodyAsync(HttpContext context, PendingInvocation? invocation)
    {
        if (invocation is null)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, RuntimeApiBodies.InvalidRequestId);
            return null;
        }

        var request = context.Request;
        var body = await RequestBodyReader.ReadAsync(
            request.BodyReader, request.ContentLength, RuntimeApiBodies.MaxPayloadBytes, context.RequestAborted);
        if (body is null)
        {
            invocation.TryComplete(RuntimeOutcome.TooLarge);
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, RuntimeApiBodies.RequestEntityTooLarge);
        }

        return body;
    }

    private static async Task ErrorAsync(HttpContext context, PendingInvocation? invocation)
    {
        var request = context.Request;
        var body = await ReadInvocationBodyAsync(context, invocation);
        if (body is null || invocation is null)
        {
            return;
        }

        await AnswerAsync(context, invocation, RuntimeOutcome.Error(body, ErrorType(request, body)));
    }

    private static async Task InitErrorAsync(HttpContext context, RuntimeSession session)
    {
        var request = context.Request;
        var body = await RequestBodyReader.ReadAsync(
            request.BodyReader, request.ContentLength, RuntimeApiBodies.MaxPayloadBytes, context.RequestAborted);
        if (body is null)
        {
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, RuntimeApiBodies.RequestEntityTooLarge);
            return;
        }

        if (session.TryFailInit(body, ErrorType(request, body)))
        {
            await WriteAsync(context, StatusCodes.Status202Accepted, RuntimeApiBodies.Accepted);
        }
        else
        {
            await WriteAsync(context, StatusCodes.Status403Forbidden, RuntimeApiBodies.InitErrorNotAllowed);
        }
    }

    private static string ErrorType(HttpRequest request, byte[] body)
    {
        var header = request.Headers[ErrorTypeHeader];
        return !StringValues.IsNullOrEmpty(header) ? header.ToString() : ErrorDocuments.ReadErrorType(body) ?? UnknownErrorType;
    }

    private static byte[] DecodeErrorBody(StringValues encoded, string errorType)
    {
        var text = encoded.ToString();
        var bytes = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text, bytes, out var written) && written > 0
            ? bytes.AsSpan(0, written).ToArray()
            : ErrorDocuments.TypeThenMessage(errorType, string.Empty);
    }

    private static Task MethodNotAllowed(HttpContext context)
        => WriteAsync(context, StatusCodes.Status405MethodNotAllowed, RuntimeApiBodies.MethodNotAllowed);

    private static async Task WriteAsync(HttpContext context, int statusCode, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.Headers.ContentType = JsonContentType;
        response.Headers.ContentLength = body.Length;
        await response.BodyWriter.WriteAsync(body, context.RequestAborted);
    }
}
