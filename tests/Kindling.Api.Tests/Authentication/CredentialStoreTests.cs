using Kindling.Api.Authentication;
using Kindling.Invocation.Environments;

namespace Kindling.Api.Tests.Authentication;

public sealed class CredentialStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static readonly FunctionSpec Function = new()
    {
        FunctionName = "f",
        Version = "$LATEST",
        FunctionArn = "arn:aws:lambda:us-east-1:000000000000:function:f",
        Runtime = "provided.al2023",
        MemorySizeMb = 128,
        TimeoutSeconds = 3,
        CodeId = "c",
        LogGroup = "/aws/lambda/f",
        Region = "us-east-1",
        PoolKey = "f",
    };

    [Fact]
    public void Issue_NewKey_FoundWithItsSessionTokenUntilExpiry()
    {
        var clock = new FakeTimeProvider(Now);
        var store = new CredentialStore([new AccessKey("AKIAROOT", "root-secret")], clock);

        var issued = store.Issue(Function, TimeSpan.FromHours(1));

        Assert.StartsWith("ASIA", issued.AccessKeyId, StringComparison.Ordinal);
        Assert.Equal(20, issued.AccessKeyId.Length);
        Assert.Equal(40, issued.SecretAccessKey.Length);
        Assert.Equal(Now.AddHours(1), issued.Expiration);
        Assert.Equal(new AccessKey(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken), store.Find(issued.AccessKeyId));

        clock.Now = Now.AddHours(1);
        Assert.Null(store.Find(issued.AccessKeyId));
    }

    [Fact]
    public void Issue_TwoEnvironments_DistinctKeys()
    {
        var store = new CredentialStore([], new FakeTimeProvider(Now));

        var first = store.Issue(Function, TimeSpan.FromHours(1));
        var second = store.Issue(Function, TimeSpan.FromHours(1));

        Assert.NotEqual(first.AccessKeyId, second.AccessKeyId);
        Assert.NotEqual(first.SessionToken, second.SessionToken);
    }

    [Fact]
    public void Verify_IssuedKeyWithoutItsToken_FailsWithUnrecognizedClient()
    {
        var store = new CredentialStore([], new FakeTimeProvider(Now));
        var issued = store.Issue(Function, TimeSpan.FromHours(1));
        var verifier = new SigV4Verifier(store, new FakeTimeProvider(Now), "us-east-1");
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["host"] = ["localhost"],
            ["x-amz-date"] = ["20261122T120000Z"],
            ["authorization"] = [$"AWS4-HMAC-SHA256 Credential={issued.AccessKeyId}/20261122/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature={new string('0', 64)}"],
        };

        var result = verifier.Verify(new SigV4Request("GET", "/2015-03-31/functions", "", headers, ""), ["lambda"]);

        Assert.Equal("UnrecognizedClientException", result.ErrorCode);
    }
}
