using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Kindling.Queues.Sqs;

/// <summary>Tells SQS requests from Lambda's at the shared endpoint.</summary>
public static partial class SqsRequests
{
    private const string TargetPrefix = "AmazonSQS.";

    /// <summary>
    /// The protocol of an SQS request, or null for any other request: an <c>X-Amz-Target</c> of
    /// <c>AmazonSQS.*</c>, a SigV4 credential scoped to the service <c>sqs</c>, or a form POST to <c>/</c> or to a
    /// queue URL's path.
    /// </summary>
    public static SqsProtocol? Detect(HttpRequest request)
    {
        if (request.Headers["X-Amz-Target"].ToString().StartsWith(TargetPrefix, StringComparison.Ordinal))
        {
            return SqsProtocol.Json;
        }

        var form = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
        if (ScopedToSqs().IsMatch(request.Headers.Authorization.ToString())
            || request.Query["X-Amz-Credential"].ToString().Contains("/sqs/aws4_request", StringComparison.Ordinal))
        {
            return form || request.Query.ContainsKey("Action") ? SqsProtocol.Query : SqsProtocol.Json;
        }

        return HttpMethods.IsPost(request.Method) && form && (request.Path == "/" || QueuePath().IsMatch(request.Path.Value ?? ""))
            ? SqsProtocol.Query
            : null;
    }

    /// <summary>The operation a JSON request names.</summary>
    internal static string JsonOperation(HttpRequest request)
    {
        var target = request.Headers["X-Amz-Target"].ToString();
        return target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : "";
    }

    [GeneratedRegex(@"Credential=[^/,]+/\d{8}/[^/]+/sqs/aws4_request")]
    private static partial Regex ScopedToSqs();

    [GeneratedRegex(@"^/\d{12}/[^/]+/?$")]
    private static partial Regex QueuePath();
}
