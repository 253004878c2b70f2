using System.Security.Cryptography;
using System.Text;
using Kindling.Api.Authentication;

namespace Kindling.Api.Tests.Authentication;

/// <summary>
/// The verifier against requests signed by botocore 1.43 itself (SigV4Auth / SigV4QueryAuth on an AWSRequest, clock
/// fixed at 2025-03-14T09:26:53Z; headers and URLs copied from what botocore produced), and its failure modes.
/// </summary>
public sealed class SigV4VerifierTests
{
    private const string AccessKeyId = "AKIDKINDLINGTEST";
    private const string SecretKey = "kindling/secret+KEY/0123456789abcdefghijklmn";
    private const string TempAccessKeyId = "ASIAKINDLINGTEMP";
    private const string TempSecretKey = "temp/secret/KEY";
    private const string TempSessionToken = "FwoGZXIvYXdzEKindlingSessionToken//+abc==";
    private const string Host = "lambda.us-east-1.amazonaws.com";
    private const string Arn = "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn";
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private const string SignatureMismatch =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    private static readonly DateTimeOffset SignedAt = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);
    private static readonly string[] Lambda = ["lambda"];

    /// <summary>
    /// POST .../functions/{ARN with %3A}/invocations?Qualifier=live v2&amp;note=a+b=c&amp;d/e~f*g!h'(i)&amp;empty= with a UTF-8
    /// JSON body: botocore sends the query form-encoded ('+' for space) but signs it RFC 3986-encoded (%20).
    /// </summary>
    private static SigV4Request BotocoreInvoke(string? authorization = null, string? body = null) => new(
        "POST",
        $"/2015-03-31/functions/{Arn}/invocations",
        "Qualifier=live+v2&note=a%2Bb%3Dc%26d%2Fe~f%2Ag%21h%27%28i%29&empty=",
        Headers(
            ("host", Host),
            ("x-amz-invocation-type", "RequestResponse"),
            ("content-type", "application/json"),
            ("x-amz-date", "20250314T092653Z"),
            ("authorization", authorization ?? "AWS4-HMAC-SHA256 Credential=AKIDKINDLINGTEST/20250314/us-east-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-invocation-type, Signature=7d9d87775f26074e08e0b4cc373a743355fbedbb971d71aef247212969158dcf"),
            ("content-length", "19")),
        Sha256(body ?? "{\"hello\": \"wörld\"}"));

    /// <summary>GET .../functions/{ARN}?Qualifier=$LATEST presigned by SigV4QueryAuth with a 300-second expiry.</summary>
    private static SigV4Request BotocorePresigned(string query = PresignedQuery) => new(
        "GET",
        $"/2015-03-31/functions/{Arn}",
        query,
        Headers(("host", Host)),
        EmptySha256);

    private const string PresignedQuery =
        "Qualifier=%24LATEST&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDKINDLINGTEST%2F20250314%2Fus-east-1%2Flambda%2Faws4_request&X-Amz-Date=20250314T092653Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=407594f1ef575b555841203b02dfe64a4985660e03ad4c441c558eaf8341d9fa";

    /// <summary>GET /2015-03-31/functions/?MaxItems=5 signed with temporary credentials (token header signed).</summary>
    private static SigV4Request BotocoreSession(string? token = TempSessionToken)
    {
        var headers = new List<(string, string)>
        {
            ("host", Host),
            ("x-amz-date", "20250314T092653Z"),
            ("authorization", "AWS4-HMAC-SHA256 Credential=ASIAKINDLINGTEMP/20250314/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=dbf8ebc481ba50cb63490f8421b97f15866d645291dddbb1a0fd63404201c9a7"),
        };
        if (token is not null)
        {
            headers.Add(("x-amz-security-token", token));
        }

        return new SigV4Request("GET", "/2015-03-31/functions/", "MaxItems=5", Headers([.. headers]), EmptySha256);
    }

    /// <summary>PUT .../functions/my-fn/code with X-Amz-Content-SHA256: UNSIGNED-PAYLOAD (a signed header).</summary>
    private static SigV4Request BotocoreUnsignedPayload(string body = "{\"ZipFile\":\"UEsDBA==\"}") => new(
        "PUT",
        "/2015-03-31/functions/my-fn/code",
        "",
        Headers(
            ("host", Host),
            ("x-amz-content-sha256", "UNSIGNED-PAYLOAD"),
            ("x-amz-date", "20250314T092653Z"),
            ("authorization", "AWS4-HMAC-SHA256 Credential=AKIDKINDLINGTEST/20250314/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=aa72f3bb7e9e30ee891d6b53fee44e9cafd714ce08c83194d52c736da3408bfc"),
            ("content-length", "22")),
        Sha256(body));

    [Fact]
    public void CanonicalRequest_BotocoreInvoke_EqualsBotocoreCanonicalRequest()
    {
        var canonical = SigV4Verifier.CanonicalRequest(BotocoreInvoke(), ["content-type", "host", "x-amz-date", "x-amz-invocation-type"], presigned: false);

        Assert.Equal(
            "POST\n"
            + "/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A123456789012%253Afunction%253Amy-fn/invocations\n"
            + "Qualifier=live%20v2&empty=&note=a%2Bb%3Dc%26d%2Fe~f%2Ag%21h%27%28i%29\n"
            + "content-type:application/json\nhost:lambda.us-east-1.amazonaws.com\nx-amz-date:20250314T092653Z\nx-amz-invocation-type:RequestResponse\n"
            + "\ncontent-type;host;x-amz-date;x-amz-invocation-type\n"
            + "9cb061d0ce8e12452d84707b1ff8910deab3cc532543d628e8b347a6d81476f3",
            canonical);
    }

    [Fact]
    public void Verify_BotocoreSignedInvoke_Succeeds()
    {
        var result = Verifier().Verify(BotocoreInvoke(), Lambda);

        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage}");
        Assert.Equal(new AccessKey(AccessKeyId, SecretKey), result.Key);
    }

    [Fact]
    public void Verify_BotocoreSignedInvokeWithChangedBody_FailsWithInvalidSignature()
    {
        var result = Verifier().Verify(BotocoreInvoke(body: "{\"hello\": \"world\"}"), Lambda);

        AssertFailure(result, "InvalidSignatureException", SignatureMismatch);
    }

    [Fact]
    public void Verify_ServiceAmongSeveralAccepted_Succeeds()
    {
        var result = Verifier().Verify(BotocoreInvoke(), ["execute-api", "lambda"]);

        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage}");
    }

    [Fact]
    public void Verify_UnknownAccessKey_FailsWithUnrecognizedClient()
    {
        var authorization = "AWS4-HMAC-SHA256 Credential=AKIDSOMEONEELSE/20250314/us-east-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-invocation-type, Signature=7d9d87775f26074e08e0b4cc373a743355fbedbb971d71aef247212969158dcf";

        var result = Verifier().Verify(BotocoreInvoke(authorization), Lambda);

        AssertFailure(result, "UnrecognizedClientException", "The security token included in the request is invalid.");
    }

    [Fact]
    public void Verify_WrongSecret_FailsWithInvalidSignature()
    {
        var verifier = new SigV4Verifier(new CredentialStore([new AccessKey(AccessKeyId, "not-the-secret")], TimeProvider.System), new FakeTimeProvider(SignedAt), "us-east-1");

        var result = verifier.Verify(BotocoreInvoke(), Lambda);

        AssertFailure(result, "InvalidSignatureException", SignatureMismatch);
    }

    [Fact]
    public void Verify_SecretChangedAfterASuccess_UsesTheNewSecret()
    {
        var store = new RotatingStore(AccessKeyId, SecretKey);
        var verifier = new SigV4Verifier(store, new FakeTimeProvider(SignedAt), "us-east-1");
        Assert.True(verifier.Verify(BotocoreInvoke(), Lambda).Succeeded);

        store.Secret = "not-the-secret";

        AssertFailure(verifier.Verify(BotocoreInvoke(), Lambda), "InvalidSignatureException", SignatureMismatch);
    }

    [Fact]
    public void Verify_MoreSigningKeysThanTheCacheHolds_EachRequestStillVerified()
    {
        var store = new RotatingStore(AccessKeyId, SecretKey);
        var verifier = new SigV4Verifier(store, new FakeTimeProvider(SignedAt), "us-east-1");
        for (var i = 0; i < 300; i++)
        {
            store.Secret = $"secret-{i}";
            var request = SelfSigned("GET", "/2015-03-31/functions/", "", "", store.Secret);
            Assert.True(verifier.Verify(request, Lambda).Succeeded, $"key {i}");
            store.Secret = $"secret-{i + 1}";
            Assert.False(verifier.Verify(request, Lambda).Succeeded, $"key {i}, another secret");
        }
    }

    [Fact]
    public void Verify_ClockExactlyFifteenMinutesAhead_Succeeds()
    {
        var result = Verifier(SignedAt.AddMinutes(15)).Verify(BotocoreInvoke(), Lambda);

        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage}");
    }

    [Fact]
    public void Verify_ClockMoreThanFifteenMinutesAhead_FailsWithSignatureExpired()
    {
        var result = Verifier(SignedAt.AddMinutes(15).AddSeconds(1)).Verify(BotocoreInvoke(), Lambda);

        AssertFailure(result, "InvalidSignatureException",
            "Signature expired: 20250314T092653Z is now earlier than 20250314T092654Z (20250314T094154Z - 15 min.)");
        Assert.StartsWith("Signature expired: ", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ClockMoreThanFifteenMinutesBehind_FailsWithSignatureNotYetCurrent()
    {
        var result = Verifier(SignedAt.AddMinutes(-16)).Verify(BotocoreInvoke(), Lambda);

        AssertFailure(result, "InvalidSignatureException",
            "Signature not yet current: 20250314T092653Z is now later than 20250314T092553Z (20250314T091053Z + 15 min.)");
    }

    [Fact]
    public void Verify_NoAuthorization_FailsWithMissingAuthenticationToken()
    {
        var request = BotocoreInvoke();
        request = request with { Headers = request.Headers.Where(h => h.Key != "authorization").ToDictionary(StringComparer.Ordinal) };

        var result = Verifier().Verify(request, Lambda);

        AssertFailure(result, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }

    [Fact]
    public void Verify_ScopeDateNotTheRequestDate_FailsWithInvalidSignature()
    {
        var authorization = "AWS4-HMAC-SHA256 Credential=AKIDKINDLINGTEST/20250313/us-east-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-invocation-type, Signature=7d9d87775f26074e08e0b4cc373a743355fbedbb971d71aef247212969158dcf";

        var result = Verifier().Verify(BotocoreInvoke(authorization), Lambda);

        AssertFailure(result, "InvalidSignatureException",
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20250313' != '20250314', from '20250314T092653Z'.");
    }

    [Fact]
    public void Verify_ScopeRegionNotTheServerRegion_FailsWithInvalidSignature()
    {
        var authorization = "AWS4-HMAC-SHA256 Credential=AKIDKINDLINGTEST/20250314/eu-west-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-invocation-type, Signature=7d9d87775f26074e08e0b4cc373a743355fbedbb971d71aef247212969158dcf";

        var result = Verifier().Verify(BotocoreInvoke(authorization), Lambda);

        AssertFailure(result, "InvalidSignatureException", "Credential should be scoped to a valid region. ");
    }

    [Fact]
    public void Verify_ServerInAnotherRegion_FailsWithInvalidSignature()
    {
        var verifier = new SigV4Verifier(new CredentialStore([new AccessKey(AccessKeyId, SecretKey)], TimeProvider.System), new FakeTimeProvider(SignedAt), "us-west-2");

        var result = verifier.Verify(BotocoreInvoke(), Lambda);

        AssertFailure(result, "InvalidSignatureException", "Credential should be scoped to a valid region. ");
    }

    [Fact]
    public void Verify_ScopeServiceNotAccepted_FailsWithInvalidSignature()
    {
        var result = Verifier().Verify(BotocoreInvoke(), ["service"]);

        AssertFailure(result, "InvalidSignatureException", "Credential should be scoped to correct service: 'service'. ");
    }

    [Fact]
    public void CanonicalRequest_ContentSha256HeaderPresent_UsesHeaderNotBodyHash()
    {
        var request = BotocoreUnsignedPayload();

        var canonical = SigV4Verifier.CanonicalRequest(request, ["host", "x-amz-content-sha256", "x-amz-date"], presigned: false);

        Assert.Equal(
            "PUT\n/2015-03-31/functions/my-fn/code\n\n"
            + "host:lambda.us-east-1.amazonaws.com\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:20250314T092653Z\n"
            + "\nhost;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD",
            canonical);
    }

    [Fact]
    public void Verify_BotocoreUnsignedPayload_Succeeds()
    {
        var result = Verifier().Verify(BotocoreUnsignedPayload(), Lambda);

        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage}");
    }

    [Fact]
    public void Verify_UnsignedPayloadWithAnotherBody_Succeeds()
    {
        var result = Verifier().Verify(BotocoreUnsignedPayload("{\"ZipFile\":\"something else\"}"), Lambda);

        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage}");
    }

    [Fact]
    public void Verify_ContentSha256HeaderWithBodyHash_Succeeds()
    {
        const string body = "{\"FunctionName\":\"my-fn\"}";
        var request = SelfSigned("POST", "/2015-03-31/functions", "", body, ("x-amz-content-sha256", Sha256(body)));

        var result = Verifier().Verify(request, Lambda);

        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage}");
    }

    [Fact]
    public void Verify_ContentSha256HeaderNotTheBodyHash_FailsWithInvalidSignature()
    {
        const string body = "{\"FunctionName\":\"my-fn\"}";
        var signed = SelfSigned("POST", "/2015-03-31/functions", "", body, ("x-amz-content-sha256", Sha256(body)));
        var replayed = signed with { PayloadSha256Hex = Sha256("{\"FunctionName\":\"other\"}") };

        var result = Verifier().Verify(replayed, Lambda);

        AssertFailure(result, "InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }

    [Fact]
    public void Verify_PresignedUrlWithoutExpires_FailsWithAuthorizationQueryParametersError()
    {
        var query = PresignedQuery.Replace("&X-Amz-Expires=300", "", StringComparison.Ordinal);

        var result = Verifier().Verify(BotocorePresigned(query), Lambda);

        AssertFailure(result, "AuthorizationQueryParametersError", "X-Amz-Expires must be a number of seconds between 1 and 604800.");
    }

    [Fact]
    public void Verify_PresignedUrlDatedInTheFuture_FailsWithNotYetCurrent()
    {
        var result = Verifier(SignedAt.AddMinutes(-16)).Verify(BotocorePresigned(), Lambda);

        AssertFailure(result, "InvalidSignatureException", "Signature not yet current.");
    }

    [Fact]
    public void CanonicalRequest_PresignedQuery_LeavesOutSignatureAndHashesBody()
    {
        var canonical = SigV4Verifier.CanonicalRequest(BotocorePresigned(), ["host"], presigned: true);

        Assert.Equal(
            "GET\n/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A123456789012%253Afunction%253Amy-fn\n"
            + "Qualifier=%24LATEST&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDKINDLINGTEST%2F20250314%2Fus-east-1%2Flambda%2Faws4_request&X-Amz-Date=20250314T092653Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host\n"
            + "host:lambda.us-east-1.amazonaws.com\n\nhost\n" + EmptySha256,
            canonical);
    }

    [Fact]
    public void Verify_BotocorePresignedUrl_Succeeds()
    {
        var result = Verifier(SignedAt.AddSeconds(299)).Verify(BotocorePresigned(), Lambda);

        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage}");
        Assert.Equal(new AccessKey(AccessKeyId, SecretKey), result.Key);
    }

    [Fact]
    public void Verify_BotocorePresignedUrlAfterExpiry_FailsWithSignatureExpired()
    {
        var result = Verifier(SignedAt.AddSeconds(301)).Verify(BotocorePresigned(), Lambda);

        AssertFailure(result, "InvalidSignatureException", "Signature expired.");
    }

    [Fact]
    public void Verify_BotocorePresignedUrlWithChangedParameter_FailsWithInvalidSignature()
    {
        var result = Verifier().Verify(BotocorePresigned(PresignedQuery.Replace("%24LATEST", "live", StringComparison.Ordinal)), Lambda);

        AssertFailure(result, "InvalidSignatureException", SignatureMismatch);
    }

    [Fact]
    public void Verify_BotocoreTemporaryCredentialsWithToken_Succeeds()
    {
        var key = new AccessKey(TempAccessKeyId, TempSecretKey, TempSessionToken);

        var result = Verifier(key).Verify(BotocoreSession(), Lambda);

        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage}");
        Assert.Same(key, result.Key);
    }

    [Fact]
    public void Verify_TemporaryCredentialsWithoutToken_FailsWithUnrecognizedClient()
    {
        var result = Verifier(new AccessKey(TempAccessKeyId, TempSecretKey, TempSessionToken)).Verify(BotocoreSession(token: null), Lambda);

        AssertFailure(result, "UnrecognizedClientException", "The security token included in the request is invalid.");
    }

    [Fact]
    public void Verify_TemporaryCredentialsWithAnotherToken_FailsWithUnrecognizedClient()
    {
        var result = Verifier(new AccessKey(TempAccessKeyId, TempSecretKey, TempSessionToken)).Verify(BotocoreSession("FwoGZXIvYXdzEOtherToken=="), Lambda);

        AssertFailure(result, "UnrecognizedClientException", "The security token included in the request is invalid.");
    }

    [Fact]
    public void Verify_PresignedTemporaryCredentialsWithTokenInQuery_Succeeds()
    {
        const string query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAKINDLINGTEMP%2F20250314%2Fus-east-1%2Flambda%2Faws4_request&X-Amz-Date=20250314T092653Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Security-Token=FwoGZXIvYXdzEKindlingSessionToken%2F%2F%2Babc%3D%3D";
        var unsigned = new SigV4Request("GET", "/2015-03-31/functions/", query, Headers(("host", Host)), EmptySha256);
        var key = new AccessKey(TempAccessKeyId, TempSecretKey, TempSessionToken);
        var signature = SignHex(unsigned, ["host"], presigned: true, TempSecretKey);

        var result = Verifier(key).Verify(unsigned with { RawQuery = query + "&X-Amz-Signature=" + signature }, Lambda);

        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage}");
    }

    [Fact]
    public void Find_KnownAndUnknownKeys_ReturnsKeyOrNull()
    {
        var key = new AccessKey(AccessKeyId, SecretKey);
        var store = new CredentialStore([key], TimeProvider.System);

        Assert.Same(key, store.Find(AccessKeyId));
        Assert.Null(store.Find("akidkindlingtest"));
    }

    private static SigV4Verifier Verifier(DateTimeOffset? now = null) => Verifier(new AccessKey(AccessKeyId, SecretKey), now);

    private static SigV4Verifier Verifier(AccessKey key, DateTimeOffset? now = null) =>
        new(new CredentialStore([key], TimeProvider.System), new FakeTimeProvider(now ?? SignedAt), "us-east-1");

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> Headers(params (string Name, string Value)[] headers) =>
        headers.ToDictionary(h => h.Name, h => (IReadOnlyList<string>)[h.Value], StringComparer.Ordinal);

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Signs with the verifier's own canonicalization (for cases botocore has no switch for).</summary>
    private static string SignHex(SigV4Request request, IReadOnlyList<string> signedHeaders, bool presigned, string secret)
    {
        var canonical = SigV4Verifier.CanonicalRequest(request, signedHeaders, presigned);
        var stringToSign = $"AWS4-HMAC-SHA256\n20250314T092653Z\n20250314/us-east-1/lambda/aws4_request\n{Sha256(canonical)}";
        return Convert.ToHexStringLower(SigV4Verifier.Sign(secret, "20250314", "us-east-1", "lambda", stringToSign));
    }

    private static SigV4Request SelfSigned(string method, string path, string query, string body, params (string Name, string Value)[] extra) =>
        SelfSigned(method, path, query, body, SecretKey, extra);

    private static SigV4Request SelfSigned(string method, string path, string query, string body, string secret, params (string Name, string Value)[] extra)
    {
        var headers = new List<(string Name, string Value)> { ("host", Host), ("x-amz-date", "20250314T092653Z") };
        headers.AddRange(extra);
        var signedHeaders = headers.Select(h => h.Name).Order(StringComparer.Ordinal).ToList();
        var request = new SigV4Request(method, path, query, Headers([.. headers]), Sha256(body));
        var signature = SignHex(request, signedHeaders, presigned: false, secret);
        headers.Add(("authorization", $"AWS4-HMAC-SHA256 Credential={AccessKeyId}/20250314/us-east-1/lambda/aws4_request, SignedHeaders={string.Join(';', signedHeaders)}, Signature={signature}"));
        return request with { Headers = Headers([.. headers]) };
    }

    private static void AssertFailure(SigV4Result result, string code, string message)
    {
        Assert.False(result.Succeeded);
        Assert.Null(result.Key);
        Assert.Equal(code, result.ErrorCode);
        Assert.Equal(message, result.ErrorMessage);
    }

    /// <summary>One access key whose secret the test changes (a rotated key).</summary>
    private sealed class RotatingStore(string accessKeyId, string secret) : ICredentialStore
    {
        public string Secret { get; set; } = secret;

        public AccessKey? Find(string id) => id == accessKeyId ? new AccessKey(accessKeyId, Secret) : null;
    }
}
