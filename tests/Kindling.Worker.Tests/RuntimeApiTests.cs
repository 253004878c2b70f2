using System.Text;
using Kindling.Invocation.Environments;

namespace Kindling.Worker.Tests;

/// <summary>
/// The Runtime API's answers, seen from inside a sandbox: each event is a shell script the probe runtime runs with
/// $API and $ID (the request id) set, answering with the script's output.
/// </summary>
[Collection(WorkerCollection.Name)]
public sealed class RuntimeApiTests(WorkerFixture worker) : IAsyncLifetime
{
    private IExecutionEnvironment? _environment;
    private FunctionSpec? _function;

    public async Task InitializeAsync()
    {
        _function = worker.Function(await worker.StoreBootstrapAsync("probe.sh"));
        _environment = await worker.CreateAsync(_function);
    }

    public async Task DisposeAsync() => await _environment!.DisposeAsync();

    [Fact]
    public async Task Response_UnknownRequestId_Returns400InvalidRequestId()
    {
        var output = await RunAsync("""curl -sS -w ' %{http_code}' --data-binary 'x' "$API/invocation/0000/response" """);

        Assert.Equal("""{"errorType":"InvalidRequestID","errorMessage":"Invalid request ID"} 400""", output);
    }

    [Fact]
    public async Task Error_UnknownRequestId_Returns400InvalidRequestId()
    {
        var output = await RunAsync("""curl -sS -w ' %{http_code}' --data-binary '{}' "$API/invocation/0000/error" """);

        Assert.Equal("""{"errorType":"InvalidRequestID","errorMessage":"Invalid request ID"} 400""", output);
    }

    [Fact]
    public async Task Response_SecondForSameRequest_Returns400InvalidRequestId()
    {
        var first = await RunAsync("""
            curl -sS -w ' %{http_code}' --data-binary 'first' "$API/invocation/$ID/response" > /tmp/first
            curl -sS -w ' %{http_code}' --data-binary 'second' "$API/invocation/$ID/response" > /tmp/second
            """);
        var answers = await RunAsync("cat /tmp/first; echo; cat /tmp/second");

        Assert.Equal("first", first);
        Assert.Equal("""
            {"status":"OK"} 202
            {"errorType":"InvalidRequestID","errorMessage":"Invalid request ID"} 400
            """, answers);
    }

    [Fact]
    public async Task Response_Posted_Returns202StatusOk()
    {
        await RunAsync("""curl -sS -w ' %{http_code}' -o /tmp/body --data-binary 'done' "$API/invocation/$ID/response" > /tmp/code""");
        var answer = await RunAsync("cat /tmp/body; cat /tmp/code");

        Assert.Equal("""{"status":"OK"} 202""", answer);
    }

    [Fact]
    public async Task InitError_AfterInit_Returns403()
    {
        var output = await RunAsync("""curl -sS -w ' %{http_code}' --data-binary '{}' "$API/init/error" """);

        Assert.Equal(
            """{"errorType":"InvalidStateTransition","errorMessage":"State transition from Ready to InitError failed for runtime. Error: State transition is not allowed"} 403""",
            output);
    }

    [Fact]
    public async Task Response_ChunkedOverLimit_Returns413AndFailsInvocation()
    {
        var request = WorkerFixture.Request(
            """head -c 6291557 /dev/zero | curl -sS -w ' %{http_code}' -H 'Transfer-Encoding: chunked' --data-binary @- "$API/invocation/$ID/response" > /tmp/answer""",
            _function!);

        var tooLarge = await WorkerFixture.InvokeAsync(_environment!, request);
        var answer = await RunAsync("cat /tmp/answer");

        Assert.Equal("Function.ResponseSizeTooLarge", tooLarge.ErrorType);
        Assert.Equal("""{"errorType":"RequestEntityTooLarge","errorMessage":"Exceeded maximum allowed payload size (6291556 bytes)."} 413""", answer);
    }

    [Fact]
    public async Task Error_WithoutTypeHeader_TakesTypeFromBody()
    {
        var request = WorkerFixture.Request(
            """curl -sS -o /dev/null --data-binary '{"errorMessage":"m","errorType":"BodyType"}' "$API/invocation/$ID/error" """,
            _function!);

        var result = await WorkerFixture.InvokeAsync(_environment!, request);

        Assert.Equal("Unhandled", result.FunctionError);
        Assert.Equal("BodyType", result.ErrorType);
        Assert.Equal("""{"errorMessage":"m","errorType":"BodyType"}""", Encoding.UTF8.GetString(result.Payload.Span));
    }

    [Fact]
    public async Task UnknownPath_Returns404()
    {
        var output = await RunAsync("""curl -sS -o /dev/null -w '%{http_code}' "$API/invocation/nothing"; curl -sS -o /dev/null -w ' %{http_code}' "http://$AWS_LAMBDA_RUNTIME_API/2020-01-01/x" """);

        Assert.Equal("404 404", output);
    }

    [Fact]
    public async Task Next_WrongMethod_Returns405()
    {
        var output = await RunAsync("""curl -sS -o /dev/null -w '%{http_code}' -X POST "$API/invocation/next" """);

        Assert.Equal("405", output);
    }

    [Fact]
    public async Task Next_Headers_CarryInvocationContext()
    {
        var request = WorkerFixture.Request("tr -d '\\r' < /tmp/headers", _function!) with
        {
            ClientContext = """{"custom":{"k":"v"}}""",
            ContentType = "application/json",
        };
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var headers = Headers(Encoding.UTF8.GetString((await WorkerFixture.InvokeAsync(_environment!, request)).Payload.Span));

        Assert.Equal(request.RequestId, headers["lambda-runtime-aws-request-id"]);
        Assert.Equal(_function!.FunctionArn, headers["lambda-runtime-invoked-function-arn"]);
        Assert.Equal(request.TraceId, headers["lambda-runtime-trace-id"]);
        Assert.Equal("""{"custom":{"k":"v"}}""", headers["lambda-runtime-client-context"]);
        Assert.Equal("application/json", headers["content-type"]);
        Assert.False(headers.ContainsKey("lambda-runtime-cognito-identity"));
        var deadline = long.Parse(headers["lambda-runtime-deadline-ms"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(deadline, before + 10_000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 10_000);
    }

    [Fact]
    public async Task Next_EmptyOptionalContext_OmitsHeaders()
    {
        var request = WorkerFixture.Request("tr -d '\\r' < /tmp/headers", _function!) with { CognitoIdentity = "", ClientContext = null };

        var headers = Headers(Encoding.UTF8.GetString((await WorkerFixture.InvokeAsync(_environment!, request)).Payload.Span));

        Assert.False(headers.ContainsKey("lambda-runtime-client-context"));
        Assert.False(headers.ContainsKey("lambda-runtime-cognito-identity"));
        Assert.Equal("HTTP/1.1 200 OK", headers["status"]);
    }

    private async Task<string> RunAsync(string script)
    {
        var result = await WorkerFixture.InvokeAsync(_environment!, WorkerFixture.Request(script, _function!));
        Assert.True(result.FunctionError is null, string.Join("\n", await worker.ReadLogAsync(_environment!)));
        return Encoding.UTF8.GetString(result.Payload.Span).TrimEnd('\n');
    }

    private static Dictionary<string, string> Headers(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["status"] = lines[0] };
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        return headers;
    }
}
