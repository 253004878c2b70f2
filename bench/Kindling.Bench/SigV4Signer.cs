using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Kindling.Bench;

/// <summary>Signs requests like the AWS SDKs do (non-S3 rules), so the benchmark pays the same server-side cost.</summary>
internal sealed class SigV4Signer(string accessKeyId, string secretAccessKey, string region, string service)
{
    public void Sign(HttpRequestMessage request, byte[] body)
    {
        var now = DateTime.UtcNow;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var uri = request.RequestUri!;
        var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(body));
        request.Headers.Host = host;
        request.Headers.Add("X-Amz-Date", amzDate);
        var canonicalUri = Encode(uri.AbsolutePath, keepSlash: true);
        var query = uri.Query.TrimStart('?');
        var canonicalQuery = string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Encode(Uri.UnescapeDataString(p[0]), false), Encode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""), false)))
            .OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2, StringComparer.Ordinal)
            .Select(p => p.Item1 + "=" + p.Item2));
        var canonical = $"{request.Method.Method}\n{canonicalUri}\n{canonicalQuery}\nhost:{host}\nx-amz-date:{amzDate}\n\nhost;x-amz-date\n{payloadHash}";
        var scope = $"{date}/{region}/{service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        key = HMACSHA256.HashData(key, "aws4_request"u8);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKeyId}/{scope}, SignedHeaders=host;x-amz-date, Signature={signature}");
    }

    private static string Encode(string value, bool keepSlash)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
