using System.Text.Json.Nodes;
using Kindling.Functions.Errors;
using Microsoft.AspNetCore.Http;

namespace Kindling.Api.Errors;

/// <summary>
/// Writes errors the way botocore and the JS SDK parse them: <c>x-amzn-ErrorType</c>, <c>x-amzn-RequestId</c>,
/// and a body with <c>__type</c>, <c>Type</c> and <c>message</c> or <c>Message</c>.
/// </summary>
internal static class ErrorWriter
{
    public static Task WriteAsync(HttpContext context, LambdaException error)
    {
        var response = context.Response;
        response.StatusCode = (int)error.Status;
        response.Headers["x-amzn-ErrorType"] = error.Code;
        foreach (var (name, value) in error.Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        var body = new JsonObject();
        if (error.Type is not null)
        {
            body["Type"] = error.Type;
        }

        body[error.CapitalMessage ? "Message" : "message"] = error.Message;
        foreach (var (name, value) in error.Extra ?? new Dictionary<string, string>())
        {
            body[name] = value;
        }

        body["__type"] = error.Code;
        response.ContentType = "application/json";
        return response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
