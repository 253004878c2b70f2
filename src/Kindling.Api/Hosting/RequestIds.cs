using Microsoft.AspNetCore.Http;

namespace Kindling.Api.Hosting;

/// <summary>The id of the current request, as sent in <c>x-amzn-RequestId</c>.</summary>
internal static class RequestIds
{
    public const string Key = "kindling.request-id";

    public static string Of(HttpContext context) => (string)context.Items[Key]!;
}
