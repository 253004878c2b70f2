using System.Net;
using System.Security.Cryptography;
using Kindling.Api.Authentication;
using Kindling.Api.Errors;
using Kindling.Functions.Errors;
using Kindling.Queues.Sqs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kindling.Api.Hosting;

/// <summary>
/// Front door of every API request: assigns the request id, verifies the SigV4 signature, and turns
/// exceptions into AWS-shaped errors.
/// </summary>
internal sealed partial class LambdaApiMiddleware(RequestDelegate next, SigV4Verifier verifier, ILogger<LambdaApiMiddleware> logger)
{
    private static readonly string[] LambdaService = ["lambda"];
    private static readonly string[] SqsService = ["sqs"];

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        context.Items[RequestIds.Key] = requestId;
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        if (SqsRequests.Detect(context.Request) is { } sqsProtocol && context.RequestServices.GetService<SqsApi>() is { } sqs)
        {
            await HandleSqsAsync(context, sqs, sqsProtocol, requestId);
            return;
        }

        try
        {
            if (!IsUnsigned(context.Request.Path))
            {
                await AuthenticateAsync(context);
            }

            await next(context);
        }
        catch (LambdaException ex) when (!context.Response.HasStarted)
        {
            await ErrorWriter.WriteAsync(context, ex);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await ErrorWriter.WriteAsync(context, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? LambdaErrors.ZipTooLarge()
                : LambdaErrors.InvalidRequestContent(ex.Message));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            LogUnhandled(logger, context.Request.Method, context.Request.Path, ex);
            await ErrorWriter.WriteAsync(context, LambdaErrors.Service("An internal error occurred. Request id: " + requestId));
        }
    }

    private static bool IsUnsigned(PathString path) =>
        path.StartsWithSegments("/kindling/code", StringComparison.Ordinal) || path.Equals("/kindling/health", StringComparison.Ordinal);

    private async Task AuthenticateAsync(HttpContext context)
    {
        var (result, _) = await VerifyAsync(context, LambdaService);
        if (!result.Succeeded)
        {
            throw new LambdaException(HttpStatusCode.Forbidden, result.ErrorCode!, result.ErrorMessage!, capitalMessage: false, type: "User");
        }
    }

    /// <summary>SQS requests share the endpoint: signed for the service <c>sqs</c>, answered in SQS's shapes (Kindling.Queues).</summary>
    private async Task HandleSqsAsync(HttpContext context, SqsApi sqs, SqsProtocol protocol, string requestId)
    {
        try
        {
            var (result, body) = await VerifyAsync(context, SqsService);
            if (!result.Succeeded)
            {
                await SqsApi.WriteErrorAsync(context, protocol, SqsApi.AuthenticationError(result.ErrorCode!, result.ErrorMessage!), requestId);
                return;
            }

            await sqs.HandleAsync(context, protocol, body, requestId, result.Key!.AccessKeyId);
        }
        catch (LambdaException ex) when (!context.Response.HasStarted)
        {
            await SqsApi.WriteErrorAsync(context, protocol, new Kindling.Queues.Errors.QueueException(ex.Status, ex.Code, ex.Code, ex.Message), requestId);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await SqsApi.WriteErrorAsync(context, protocol,
                new Kindling.Queues.Errors.QueueException((HttpStatusCode)ex.StatusCode, "InvalidRequest", "InvalidRequest", ex.Message), requestId);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (a long poll abandoned).
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            LogUnhandled(logger, context.Request.Method, context.Request.Path, ex);
            await SqsApi.WriteErrorAsync(context, protocol, SqsApi.InternalError(), requestId);
        }
    }

    private async Task<(SigV4Result Result, ReadOnlyMemory<byte> Body)> VerifyAsync(HttpContext context, IReadOnlyCollection<string> services)
    {
        var request = context.Request;
        var body = await RequestBody.ReadAsync(context, RequestBody.MaxCodeRequestBytes);
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        var rawQuery = queryStart < 0 ? "" : rawTarget[(queryStart + 1)..];
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(body.Span));
        return (verifier.Verify(new SigV4Request(request.Method, rawPath, rawQuery, new SignedHeaderView(request.Headers), payloadHash), services), body);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, Exception exception);
}
