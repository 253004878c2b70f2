using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kindling.Functions.Services;

namespace Kindling.Api.Hosting;

/// <summary>
/// Time-limited download URLs for code, like the presigned S3 URLs Lambda returns: an HMAC over the id and
/// the expiry under a key that lives only as long as the process.
/// </summary>
public sealed class CodeLocations(string baseUrl, TimeProvider time) : ICodeLocations
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <inheritdoc />
    public string For(string codeId)
    {
        var expires = time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
        return $"{baseUrl.TrimEnd('/')}/kindling/code/{codeId}?expires={expires}&signature={Signature(codeId, expires)}";
    }

    /// <summary>True when the signature is valid and not expired.</summary>
    public bool IsValid(string codeId, string? expires, string? signature)
    {
        if (!long.TryParse(expires, CultureInfo.InvariantCulture, out var at) || signature is null || at < time.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Signature(codeId, at)), Encoding.ASCII.GetBytes(signature));
    }

    private string Signature(string codeId, long expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{codeId}\n{expires}")));
}
