using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kindling.Queues.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kindling.Queues.Sqs;

/// <summary>
/// The SQS-compatible API at Kindling's endpoint: decodes either protocol into one input shape, runs the
/// operation, and encodes the result or the error as that protocol's clients expect.
/// </summary>
public sealed partial class SqsApi
{
    private readonly SqsOperations _operations;
    private readonly ILogger _logger;

    internal SqsApi(SqsOperations operations, ILogger<SqsApi> logger)
    {
        _operations = operations;
        _logger = logger;
    }

    /// <summary>Handles an authenticated SQS request whose body has been read.</summary>
    public async Task HandleAsync(HttpContext context, SqsProtocol protocol, ReadOnlyMemory<byte> body, string requestId, string senderId)
    {
        var action = protocol == SqsProtocol.Json ? SqsRequests.JsonOperation(context.Request) : "";
        try
        {
            JsonObject input;
            if (protocol == SqsProtocol.Json)
            {
                input = ParseJson(body);
            }
            else
            {
                var parameters = Form(context.Request, body);
                action = parameters.FirstOrDefault(p => p.Key == "Action").Value ?? "";
                input = QueryInput.ToJson(parameters);
                if (!input.ContainsKey("QueueUrl") && context.Request.Path != "/" && context.Request.Path.HasValue)
                {
                    input["QueueUrl"] = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}";
                }
            }

            var result = await _operations.ExecuteAsync(action, input, context.Request, senderId, context.RequestAborted);
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            if (protocol == SqsProtocol.Json)
            {
                response.ContentType = "application/x-amz-json-1.0";
                await response.WriteAsync((result ?? []).ToJsonString(), context.RequestAborted);
            }
            else
            {
                response.ContentType = "text/xml";
                await response.WriteAsync(XmlOutput.Response(action, result, requestId), context.RequestAborted);
            }
        }
        catch (QueueException ex) when (!context.Response.HasStarted)
        {
            LogRejected(_logger, action, ex.Code, ex.Message);
            await WriteErrorAsync(context, protocol, ex, requestId);
        }
    }

    /// <summary>Writes an SQS error in the protocol's shape.</summary>
    public static Task WriteErrorAsync(HttpContext context, SqsProtocol protocol, QueueException error, string requestId)
    {
        var response = context.Response;
        response.StatusCode = (int)error.Status;
        var fault = error.SenderFault ? "Sender" : "Receiver";
        if (protocol == SqsProtocol.Json)
        {
            response.Headers["x-amzn-query-error"] = $"{error.Code};{fault}";
            response.ContentType = "application/x-amz-json-1.0";
            var type = error.Type.Contains('#', StringComparison.Ordinal) ? error.Type : "com.amazonaws.sqs#" + error.Type;
            return response.WriteAsync(new JsonObject { ["__type"] = type, ["message"] = error.Message }.ToJsonString(), context.RequestAborted);
        }

        response.ContentType = "text/xml";
        return response.WriteAsync(XmlOutput.Error(fault, error.Code, error.Message, requestId), context.RequestAborted);
    }

    /// <summary>The SQS form of a failed signature check (Lambda's codes mapped to SQS's).</summary>
    public static QueueException AuthenticationError(string lambdaCode, string message) => lambdaCode switch
    {
        "UnrecognizedClientException" => new(HttpStatusCode.Forbidden, "com.amazon.coral.service#InvalidClientTokenId", "InvalidClientTokenId", message),
        "IncompleteSignatureException" or "AuthorizationQueryParametersError" or "MissingAuthenticationTokenException" =>
            new(HttpStatusCode.BadRequest, "com.amazon.coral.service#IncompleteSignatureException", "IncompleteSignature", message),
        _ => new(HttpStatusCode.Forbidden, "com.amazon.coral.service#SignatureDoesNotMatch", "SignatureDoesNotMatch", message),
    };

    /// <summary>An unexpected failure, as SQS reports its own.</summary>
    public static QueueException InternalError() =>
        new(HttpStatusCode.InternalServerError, "InternalError", "InternalError", "We encountered an internal error. Please try again.", senderFault: false);

    private static JsonObject ParseJson(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(body.Span) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            throw new QueueException(HttpStatusCode.BadRequest, "com.amazon.coral.service#SerializationException", "SerializationException",
                "Start of structure or map found where not expected.");
        }
    }

    private static List<KeyValuePair<string, string>> Form(HttpRequest request, ReadOnlyMemory<byte> body)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (key, values) in request.Query)
        {
            if (!key.StartsWith("X-Amz-", StringComparison.Ordinal))
            {
                pairs.Add(new(key, values.ToString()));
            }
        }

        foreach (var part in Encoding.UTF8.GetString(body.Span).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? "" : part[(equals + 1)..];
            pairs.Add(new(Decode(key), Decode(value)));
        }

        return pairs;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "SQS {Action} rejected: {Code} {Message}")]
    private static partial void LogRejected(ILogger logger, string action, string code, string message);
}
