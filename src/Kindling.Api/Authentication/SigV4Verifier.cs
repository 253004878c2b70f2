using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Kindling.Api.Authentication;

/// <summary>
/// Verifies AWS Signature Version 4 exactly as botocore, the AWS CLI v2 and the JS SDK v3 sign: the path is
/// URI-encoded a second time (non-S3 services), query parameters are decoded, re-encoded and sorted, signed
/// headers are trimmed and their inner spaces collapsed, and the payload hash is <c>x-amz-content-sha256</c>
/// when present. Both the <c>Authorization</c> header and presigned query parameters are accepted.
/// </summary>
public sealed class SigV4Verifier(ICredentialStore credentials, TimeProvider time, string region)
{
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);

    /// <summary>Bounds the signing-key cache (a key per secret, day, region and service; issued keys come and go).</summary>
    private const int MaxSigningKeys = 256;

    // Deriving a signing key is four HMACs (~7 µs of a ~15 µs check); clients reuse one key for a whole day, as
    // the SDKs' signers cache it.
    private readonly ConcurrentDictionary<(string Secret, string Date, string Region, string Service), byte[]> _signingKeys = new();

    /// <summary>Verifies a request for one of <paramref name="services"/>.</summary>
    public SigV4Result Verify(SigV4Request request, IReadOnlyCollection<string> services)
    {
        var parsed = Parse(request);
        if (parsed.Error is { } error)
        {
            return error;
        }

        var (accessKeyId, scopeDate, scopeRegion, service, signedHeaders, signature, amzDate, presigned) = parsed.Value;
        var key = credentials.Find(accessKeyId);
        if (key is null)
        {
            return SigV4Result.Fail("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return SigV4Result.Fail("IncompleteSignatureException", $"Date must be in ISO-8601 'basic format'. Got '{amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601");
        }

        var now = time.GetUtcNow();
        if (!presigned && (signedAt < now - MaxSkew || signedAt > now + MaxSkew))
        {
            var bound = signedAt < now ? now - MaxSkew : now + MaxSkew;
            var relation = signedAt < now ? "earlier" : "later";
            var sign = signedAt < now ? "-" : "+";
            return SigV4Result.Fail("InvalidSignatureException",
                $"Signature {(signedAt < now ? "expired" : "not yet current")}: {amzDate} is now {relation} than {bound:yyyyMMdd'T'HHmmss'Z'} ({now:yyyyMMdd'T'HHmmss'Z'} {sign} 15 min.)");
        }

        if (presigned)
        {
            // A presigned URL must bound its own life (at most 7 days, as AWS requires) and cannot start later
            // than the allowed skew.
            if (!int.TryParse(QueryValue(request.RawQuery, "X-Amz-Expires"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
                || seconds is < 1 or > 604800)
            {
                return SigV4Result.Fail("AuthorizationQueryParametersError",
                    "X-Amz-Expires must be a number of seconds between 1 and 604800.");
            }

            if (signedAt > now + MaxSkew)
            {
                return SigV4Result.Fail("InvalidSignatureException", "Signature not yet current.");
            }

            if (signedAt.AddSeconds(seconds) < now)
            {
                return SigV4Result.Fail("InvalidSignatureException", "Signature expired.");
            }
        }

        // A signed x-amz-content-sha256 only vouches for the body when it is the body's hash: otherwise a
        // captured request could be replayed with another body.
        if (Header(request, "x-amz-content-sha256") is { } claimed && claimed != "UNSIGNED-PAYLOAD"
            && !claimed.StartsWith("STREAMING-", StringComparison.Ordinal)
            && !string.Equals(claimed, request.PayloadSha256Hex, StringComparison.OrdinalIgnoreCase))
        {
            return SigV4Result.Fail("InvalidSignatureException",
                "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }

        if (scopeDate != amzDate[..8])
        {
            return SigV4Result.Fail("InvalidSignatureException",
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scopeDate}' != '{amzDate[..8]}', from '{amzDate}'.");
        }

        if (scopeRegion != region)
        {
            return SigV4Result.Fail("InvalidSignatureException", $"Credential should be scoped to a valid region. ");
        }

        if (!services.Contains(service))
        {
            return SigV4Result.Fail("InvalidSignatureException", $"Credential should be scoped to correct service: '{services.First()}'. ");
        }

        if (key.SessionToken is not null && Header(request, "x-amz-security-token") != key.SessionToken
            && QueryValue(request.RawQuery, "X-Amz-Security-Token") != key.SessionToken)
        {
            return SigV4Result.Fail("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        var canonical = CanonicalRequest(request, signedHeaders, presigned);
        var scope = $"{scopeDate}/{scopeRegion}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var expected = HMACSHA256.HashData(SigningKey(key.SecretAccessKey, scopeDate, scopeRegion, service), Encoding.UTF8.GetBytes(stringToSign));
        Span<byte> given = stackalloc byte[32];
        if (signature.Length != 64 || Convert.FromHexString(signature, given, out _, out var written) != OperationStatus.Done || written != 32
            || !CryptographicOperations.FixedTimeEquals(given, expected))
        {
            return SigV4Result.Fail("InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }

        return new SigV4Result(key, null, null);
    }

    /// <summary>The canonical request string (exposed for tests against AWS's published vectors).</summary>
    public static string CanonicalRequest(SigV4Request request, IReadOnlyList<string> signedHeaders, bool presigned)
    {
        var builder = new StringBuilder(512);
        builder.Append(request.Method).Append('\n');
        builder.Append(CanonicalUri(request.RawPath)).Append('\n');
        builder.Append(CanonicalQuery(request.RawQuery, presigned)).Append('\n');
        foreach (var name in signedHeaders)
        {
            builder.Append(name).Append(':');
            if (request.Headers.TryGetValue(name, out var values))
            {
                for (var i = 0; i < values.Count; i++)
                {
                    AppendTrimmed(builder.Append(i == 0 ? "" : ","), values[i]);
                }
            }

            builder.Append('\n');
        }

        builder.Append('\n').Append(string.Join(';', signedHeaders)).Append('\n');
        // Presigned URLs too: botocore and the JS SDK sign the body hash; only S3 presigns UNSIGNED-PAYLOAD.
        var payload = Header(request, "x-amz-content-sha256") ?? request.PayloadSha256Hex;
        builder.Append(payload);
        return builder.ToString();
    }

    /// <summary>The signature bytes for a string to sign.</summary>
    public static byte[] Sign(string secret, string date, string region, string service, string stringToSign) =>
        HMACSHA256.HashData(DeriveSigningKey(secret, date, region, service), Encoding.UTF8.GetBytes(stringToSign));

    private static byte[] DeriveSigningKey(string secret, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    private byte[] SigningKey(string secret, string date, string region, string service)
    {
        var scope = (secret, date, region, service);
        if (_signingKeys.TryGetValue(scope, out var cached))
        {
            return cached;
        }

        if (_signingKeys.Count >= MaxSigningKeys)
        {
            _signingKeys.Clear();
        }

        return _signingKeys[scope] = DeriveSigningKey(secret, date, region, service);
    }

    /// <summary>The raw path encoded once more, every byte but unreserved characters and '/'.</summary>
    public static string CanonicalUri(string rawPath) =>
        rawPath.Length == 0 ? "/" : Encode(rawPath, keepSlash: true);

    /// <summary>The query decoded, re-encoded strictly and sorted by name then value.</summary>
    public static string CanonicalQuery(string rawQuery, bool presigned)
    {
        var query = rawQuery.StartsWith('?') ? rawQuery[1..] : rawQuery;
        if (query.Length == 0)
        {
            return "";
        }

        var pairs = new List<(string Key, string Value)>();
        foreach (var part in query.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? "" : Decode(part[(eq + 1)..]);
            if (presigned && name == "X-Amz-Signature")
            {
                continue;
            }

            pairs.Add((Encode(name, keepSlash: false), Encode(value, keepSlash: false)));
        }

        pairs.Sort((a, b) =>
        {
            var byKey = string.CompareOrdinal(a.Key, b.Key);
            return byKey != 0 ? byKey : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(p => p.Key + "=" + p.Value));
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    private static string Encode(string value, bool keepSlash)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
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

    /// <summary>Appends the value trimmed, its runs of spaces collapsed to one.</summary>
    private static void AppendTrimmed(StringBuilder builder, string value)
    {
        var trimmed = value.AsSpan().Trim();
        if (!trimmed.Contains("  ", StringComparison.Ordinal))
        {
            builder.Append(trimmed);
            return;
        }

        var space = false;
        foreach (var c in trimmed)
        {
            if (c != ' ' || !space)
            {
                builder.Append(c);
            }

            space = c == ' ';
        }
    }

    private static string? Header(SigV4Request request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    private static string? QueryValue(string rawQuery, string name)
    {
        var query = rawQuery.StartsWith('?') ? rawQuery[1..] : rawQuery;
        foreach (var part in query.Split('&'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && Decode(part[..eq]) == name)
            {
                return Decode(part[(eq + 1)..]);
            }
        }

        return null;
    }

    private static (SigV4Result? Error, (string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature, string AmzDate, bool Presigned) Value) Parse(SigV4Request request)
    {
        var authorization = Header(request, "authorization");
        string? credential, signedHeaders, signature, amzDate;
        var presigned = false;
        if (authorization is not null)
        {
            if (!authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
            {
                return (SigV4Result.Fail("IncompleteSignatureException", $"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={authorization}"), default);
            }

            var fields = authorization["AWS4-HMAC-SHA256 ".Length..]
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(f => f.Split('=', 2))
                .Where(f => f.Length == 2)
                .ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
            fields.TryGetValue("Credential", out credential);
            fields.TryGetValue("SignedHeaders", out signedHeaders);
            fields.TryGetValue("Signature", out signature);
            amzDate = Header(request, "x-amz-date");
            if (amzDate is null && Header(request, "date") is { } date
                && DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsedDate))
            {
                amzDate = parsedDate.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            }
        }
        else if (QueryValue(request.RawQuery, "X-Amz-Algorithm") == "AWS4-HMAC-SHA256")
        {
            presigned = true;
            credential = QueryValue(request.RawQuery, "X-Amz-Credential");
            signedHeaders = QueryValue(request.RawQuery, "X-Amz-SignedHeaders");
            signature = QueryValue(request.RawQuery, "X-Amz-Signature");
            amzDate = QueryValue(request.RawQuery, "X-Amz-Date");
        }
        else
        {
            return (SigV4Result.Fail("MissingAuthenticationTokenException", "Missing Authentication Token"), default);
        }

        if (credential is null || signedHeaders is null || signature is null || amzDate is null)
        {
            var missing = new List<string>();
            if (credential is null)
            {
                missing.Add("Credential");
            }

            if (signedHeaders is null)
            {
                missing.Add("SignedHeaders");
            }

            if (signature is null)
            {
                missing.Add("Signature");
            }

            var message = amzDate is null
                ? "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
                : $"Authorization header requires '{string.Join("', '", missing)}' parameter.";
            return (SigV4Result.Fail("IncompleteSignatureException", message), default);
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return (SigV4Result.Fail("IncompleteSignatureException",
                $"Credential should be scoped to a valid region, not '{(scope.Length > 2 ? scope[2] : "")}'. "), default);
        }

        return (null, (scope[0], scope[1], scope[2], scope[3], signedHeaders.Split(';'), signature, amzDate, presigned));
    }
}
