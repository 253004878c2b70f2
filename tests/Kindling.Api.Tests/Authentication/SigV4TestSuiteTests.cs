using System.Security.Cryptography;
using System.Text;
using Kindling.Api.Authentication;

namespace Kindling.Api.Tests.Authentication;

/// <summary>
/// AWS's published SigV4 test suite (the 2015 suite botocore ships in tests/unit/auth/aws4_testsuite), for a non-S3
/// service that does not normalize paths. Each case is a directory under Vectors/ holding the request (.req), the
/// canonical request (.creq), the string to sign (.sts) and the Authorization header (.authz).
/// </summary>
/// <remarks>
/// Left out: the normalize-path/* cases (get-relative, get-relative-relative, get-slash, get-slash-dot-slash,
/// get-slash-pointless-dot, get-slashes, get-space) expect dot segments and repeated slashes to be removed, which
/// the verifier deliberately does not do (it signs the path as received, encoded once more); post-vanilla-query-space
/// and post-vanilla-query-nonunreserved have request lines with a raw space, '#' and '%' that are no valid HTTP
/// request target, so they cannot be represented as a received request.
/// </remarks>
public sealed class SigV4TestSuiteTests
{
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    private const string SessionToken =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

    private const string SignatureMismatch =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    private static readonly DateTimeOffset SigningTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    private static readonly string[] Names =
    [
        "get-header-key-duplicate",
        "get-header-value-multiline",
        "get-header-value-order",
        "get-header-value-trim",
        "get-unreserved",
        "get-utf8",
        "get-vanilla",
        "get-vanilla-empty-query-key",
        "get-vanilla-query",
        "get-vanilla-query-order-key",
        "get-vanilla-query-order-key-case",
        "get-vanilla-query-order-value",
        "get-vanilla-query-unreserved",
        "get-vanilla-utf8-query",
        "post-header-key-case",
        "post-header-key-sort",
        "post-header-value-case",
        "post-sts-header-after",
        "post-sts-header-before",
        "post-vanilla",
        "post-vanilla-empty-query-value",
        "post-vanilla-query",
        "post-x-www-form-urlencoded",
        "post-x-www-form-urlencoded-parameters",
    ];

    public static TheoryData<string> Vectors { get; } = new(Names);

    [Fact]
    public void Vectors_OutputDirectory_HoldsExactlyTheListedCases()
    {
        var onDisk = Directory.GetDirectories(VectorDirectory).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal);

        Assert.Equal(Names.Order(StringComparer.Ordinal), onDisk);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void CanonicalRequest_SuiteVector_EqualsCreq(string name)
    {
        var vector = Vector.Load(name);

        var canonical = SigV4Verifier.CanonicalRequest(vector.Request, vector.SignedHeaders, presigned: false);

        Assert.Equal(vector.Creq, canonical);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Sign_SuiteVectorStringToSign_GivesAuthzSignature(string name)
    {
        var vector = Vector.Load(name);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(vector.Creq)));

        var signature = SigV4Verifier.Sign(SecretKey, "20150830", "us-east-1", "service", vector.Sts);

        Assert.Equal($"AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n{hash}", vector.Sts);
        Assert.Equal(vector.Signature, Convert.ToHexStringLower(signature));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Verify_SuiteVectorWithAuthz_Succeeds(string name)
    {
        var vector = Vector.Load(name);
        var key = KeyFor(name);

        var result = Verifier(key).Verify(vector.Signed(vector.Authz), ["service"]);

        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage}");
        Assert.Same(key, result.Key);
        Assert.Null(result.ErrorCode);
        Assert.Null(result.ErrorMessage);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Verify_SuiteVectorWithOneSignatureDigitFlipped_FailsWithInvalidSignature(string name)
    {
        var vector = Vector.Load(name);
        var last = vector.Authz[^1];
        var tampered = vector.Authz[..^1] + (last == '0' ? '1' : '0');

        var result = Verifier(KeyFor(name)).Verify(vector.Signed(tampered), ["service"]);

        Assert.False(result.Succeeded);
        Assert.Null(result.Key);
        Assert.Equal("InvalidSignatureException", result.ErrorCode);
        Assert.Equal(SignatureMismatch, result.ErrorMessage);
    }

    private static string VectorDirectory => Path.Combine(AppContext.BaseDirectory, "Authentication", "Vectors");

    // The post-sts-token cases sign with temporary credentials: "before" signs the token header, "after" adds it
    // to the request once signed.
    private static AccessKey KeyFor(string name) =>
        name.StartsWith("post-sts-", StringComparison.Ordinal)
            ? new AccessKey("AKIDEXAMPLE", SecretKey, SessionToken)
            : new AccessKey("AKIDEXAMPLE", SecretKey);

    private static SigV4Verifier Verifier(AccessKey key) =>
        new(new CredentialStore([key], TimeProvider.System), new FakeTimeProvider(SigningTime), "us-east-1");

    private sealed record Vector(string Name, SigV4Request Request, string Creq, string Sts, string Authz)
    {
        public IReadOnlyList<string> SignedHeaders => Creq.Split('\n')[^2].Split(';');

        public string Signature => Authz[(Authz.IndexOf("Signature=", StringComparison.Ordinal) + "Signature=".Length)..];

        public static Vector Load(string name)
        {
            var directory = Path.Combine(VectorDirectory, name);
            string Read(string extension) => File.ReadAllText(Path.Combine(directory, $"{name}.{extension}"), Encoding.UTF8);
            return new Vector(name, ParseRequest(Read("req")), Read("creq"), Read("sts"), Read("authz"));
        }

        /// <summary>The request as received: with the Authorization header (and, for post-sts-header-after, the token added after signing).</summary>
        public SigV4Request Signed(string authorization)
        {
            var headers = Request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal);
            headers["authorization"] = [authorization];
            if (Name == "post-sts-header-after")
            {
                headers["x-amz-security-token"] = [SessionToken];
            }

            return Request with { Headers = headers };
        }

        /// <summary>
        /// Parses a suite .req file: request line, headers (a line starting with whitespace continues the previous
        /// header and, as the suite's .creq expects, is one more value of it), a blank line, then the body.
        /// </summary>
        private static SigV4Request ParseRequest(string text)
        {
            var lines = text.Split('\n');
            var requestLine = lines[0];
            var method = requestLine[..requestLine.IndexOf(' ', StringComparison.Ordinal)];
            var target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(' ')];
            var queryStart = target.IndexOf('?', StringComparison.Ordinal);
            var headers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            string? previous = null;
            var index = 1;
            for (; index < lines.Length && lines[index].Length > 0; index++)
            {
                var line = lines[index];
                if (line[0] is ' ' or '\t')
                {
                    headers[previous!].Add(line);
                    continue;
                }

                var colon = line.IndexOf(':', StringComparison.Ordinal);
                previous = line[..colon].ToLowerInvariant();
                if (!headers.TryGetValue(previous, out var values))
                {
                    headers[previous] = values = [];
                }

                values.Add(line[(colon + 1)..]);
            }

            var body = index < lines.Length ? string.Join('\n', lines[(index + 1)..]) : "";
            return new SigV4Request(
                method,
                queryStart < 0 ? target : target[..queryStart],
                queryStart < 0 ? "" : target[(queryStart + 1)..],
                headers.ToDictionary(h => h.Key, h => (IReadOnlyList<string>)h.Value, StringComparer.Ordinal),
                Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))));
        }
    }
}
