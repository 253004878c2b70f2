using Kindling.Queues.Errors;
using Microsoft.AspNetCore.Http;

namespace Kindling.Queues.Sqs;

/// <summary>Queue URLs: <c>http://host:port/account/name</c>, the host being the one the client called.</summary>
internal sealed class QueueUrls(string accountId)
{
    public string For(HttpRequest request, string name) => $"{request.Scheme}://{request.Host}/{accountId}/{name}";

    /// <summary>The queue a URL names; any URL whose path is not <c>/account/name</c> of this account names none.</summary>
    public string NameOf(string url)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url;
        var parts = path.Trim('/').Split('/');
        if (parts.Length == 2 && parts[0] == accountId && parts[1].Length > 0)
        {
            return parts[1];
        }

        if (parts.Length == 1 && !url.Contains('/', StringComparison.Ordinal) && parts[0].Length > 0)
        {
            // A bare queue name, which SQS accepts in place of the URL.
            return parts[0];
        }

        throw QueueErrors.QueueDoesNotExist();
    }
}
