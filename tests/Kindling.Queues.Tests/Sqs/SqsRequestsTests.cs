using Kindling.Queues.Sqs;
using Microsoft.AspNetCore.Http;

namespace Kindling.Queues.Tests.Sqs;

public sealed class SqsRequestsTests
{
    private const string SqsScope = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00";
    private const string LambdaScope = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00";

    [Fact]
    public void Detect_AmazonSqsTarget_IsJson() =>
        Assert.Equal(SqsProtocol.Json, SqsRequests.Detect(Request("POST", "/", headers: ("X-Amz-Target", "AmazonSQS.SendMessage"))));

    [Fact]
    public void Detect_FormSignedForSqs_IsQuery() =>
        Assert.Equal(SqsProtocol.Query, SqsRequests.Detect(Request("POST", "/", "application/x-www-form-urlencoded; charset=utf-8", ("Authorization", SqsScope))));

    [Fact]
    public void Detect_UnsignedFormToQueuePath_IsQuery() =>
        Assert.Equal(SqsProtocol.Query, SqsRequests.Detect(Request("POST", "/000000000000/jobs", "application/x-www-form-urlencoded")));

    [Fact]
    public void Detect_LambdaRequest_IsNotSqs() =>
        Assert.Null(SqsRequests.Detect(Request("POST", "/2015-03-31/functions", "application/json", ("Authorization", LambdaScope))));

    private static HttpRequest Request(string method, string path, string? contentType = null, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.ContentType = contentType;
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return context.Request;
    }
}
