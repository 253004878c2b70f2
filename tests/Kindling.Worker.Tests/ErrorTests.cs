using System.Text;
using Kindling.Invocation.Environments;

namespace Kindling.Worker.Tests;

[Collection(WorkerCollection.Name)]
public sealed class ErrorTests(WorkerFixture worker)
{
    [Fact]
    public async Task Invoke_RuntimeExitedAfterItsLastAnswer_NewRuntimeTakesTheEvent()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("answer-then-exit.sh")) with { MemorySizeMb = 512 };
        await using var environment = await worker.CreateAsync(function);
        var first = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("{\"n\":1}", function));

        var request = WorkerFixture.Request("{\"n\":2}", function, tail: true);
        var second = await WorkerFixture.InvokeAsync(environment, request);

        Assert.Equal("{\"n\":1}", Text(first));
        Assert.Null(second.ErrorType);
        Assert.Equal("{\"n\":2}", Text(second));
        Assert.NotNull(second.InitDurationMs);
        Assert.Contains($"START RequestId: {request.RequestId} Version: $LATEST", second.LogTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_RuntimePostsError_ReturnsBodyAsUnhandled()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("error.sh"));
        await using var environment = await worker.CreateAsync(function);
        var request = WorkerFixture.Request("{}", function);

        var result = await WorkerFixture.InvokeAsync(environment, request);

        Assert.Equal(
            $$"""{"errorMessage":"Handler fails","errorType":"Exception","requestId":"{{request.RequestId}}","stackTrace":[]}""",
            Text(result));
        Assert.Equal("Unhandled", result.FunctionError);
        Assert.Equal("Unhandled", result.ErrorType);
        Assert.True(environment.IsReusable);
    }

    [Fact]
    public async Task Invoke_PastTimeout_ReturnsSandboxTimedoutAndBreaksEnvironment()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("sleep.sh")) with { TimeoutSeconds = 1 };
        await using var environment = await worker.CreateAsync(function);
        var request = WorkerFixture.Request("{}", function);

        var result = await WorkerFixture.InvokeAsync(environment, request);

        Assert.Equal(
            $$"""{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: {{request.RequestId}} Error: Task timed out after 1.00 seconds"}""",
            Text(result));
        Assert.Equal("Unhandled", result.FunctionError);
        Assert.Equal("Sandbox.Timedout", result.ErrorType);
        Assert.Equal(1000, result.DurationMs);
        Assert.False(environment.IsReusable);
        var log = await worker.ReadLogAsync(environment);
        Assert.Contains(log, line => line.EndsWith($" {request.RequestId} Task timed out after 1.00 seconds", StringComparison.Ordinal));
        Assert.StartsWith($"REPORT RequestId: {request.RequestId}\tDuration: 1000.00 ms\tBilled Duration: 1000 ms\tMemory Size: 128 MB\t", log[^1], StringComparison.Ordinal);
        Assert.EndsWith("\tStatus: timeout\t", log[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_RuntimeExitsMidInvoke_ReturnsExitErrorWithStatus()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("exit.sh"));
        await using var environment = await worker.CreateAsync(function);
        var request = WorkerFixture.Request("{}", function);

        var result = await WorkerFixture.InvokeAsync(environment, request);

        Assert.Equal(
            $$"""{"errorType":"Runtime.ExitError","errorMessage":"RequestId: {{request.RequestId}} Error: Runtime exited with error: exit status 3"}""",
            Text(result));
        Assert.Equal("Unhandled", result.FunctionError);
        Assert.Equal("Runtime.ExitError", result.ErrorType);
        Assert.False(environment.IsReusable);
        var log = await worker.ReadLogAsync(environment);
        var start = IndexOf(log, $"START RequestId: {request.RequestId} Version: $LATEST");
        Assert.Equal(
            ["exiting with 3", $"RequestId: {request.RequestId} Error: Runtime exited with error: exit status 3", "Runtime.ExitError", $"END RequestId: {request.RequestId}"],
            log.Skip(start + 1).Take(4));
        Assert.EndsWith("\tStatus: error\tError Type: Runtime.ExitError\t", log[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_RuntimeBeyondMemory_ReturnsOutOfMemory()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("oom.sh"));
        await using var environment = await worker.CreateAsync(function);
        var request = WorkerFixture.Request("{}", function);

        var result = await WorkerFixture.InvokeAsync(environment, request);

        Assert.Equal(
            $$"""{"errorType":"Runtime.OutOfMemory","errorMessage":"RequestId: {{request.RequestId}} Error: Runtime exited with error: signal: killed"}""",
            Text(result));
        Assert.Equal("Runtime.OutOfMemory", result.ErrorType);
        Assert.Equal(128, result.MaxMemoryUsedMb);
        Assert.False(environment.IsReusable);
    }

    [Fact]
    public async Task Invoke_AfterInitError_ReturnsRuntimeDocumentAndIsNotReusable()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("init-error.sh"));
        await using var environment = await worker.CreateAsync(function);
        Assert.False(environment.IsReusable);

        var result = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("{}", function));

        Assert.Equal("""{"errorMessage":"Cannot load handler","errorType":"Runtime.ImportModuleError","requestId":"","stackTrace":[]}""", Text(result));
        Assert.Equal("Unhandled", result.FunctionError);
        Assert.Equal("Runtime.ImportModuleError", result.ErrorType);
        var log = await worker.ReadLogAsync(environment);
        Assert.Contains("""init/error answered: {"status":"OK"} 202""", log);
        Assert.Contains(log, line => line.StartsWith("INIT_REPORT Init Duration: ", StringComparison.Ordinal)
            && line.EndsWith(" ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invoke_RuntimeExitedDuringInit_ReturnsExitError()
    {
        var stored = await worker.Store.PutAsync(WorkerFixture.Zip(("bootstrap", "#!/bin/sh\necho 'bad configuration' >&2\nexit 1\n", 0x1ED)), CancellationToken.None);
        var function = worker.Function(stored.Id);
        await using var environment = await worker.CreateAsync(function);
        var request = WorkerFixture.Request("{}", function);

        var result = await WorkerFixture.InvokeAsync(environment, request);

        Assert.Equal(
            $$"""{"errorType":"Runtime.ExitError","errorMessage":"RequestId: {{request.RequestId}} Error: Runtime exited with error: exit status 1"}""",
            Text(result));
        Assert.False(environment.IsReusable);
        var log = await worker.ReadLogAsync(environment);
        Assert.Equal("bad configuration", log[1]);
        Assert.Matches(@"^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: init\tStatus: error\tError Type: Runtime.ExitError$", log[2]);
    }

    [Fact]
    public async Task Invoke_WithoutBootstrap_ReturnsInvalidEntrypoint()
    {
        var stored = await worker.Store.PutAsync(WorkerFixture.Zip(("handler.sh", "echo hi", 0x1ED)), CancellationToken.None);
        var function = worker.Function(stored.Id);
        await using var environment = await worker.CreateAsync(function);
        var request = WorkerFixture.Request("{}", function);

        var result = await WorkerFixture.InvokeAsync(environment, request);

        Assert.Equal(
            $$"""{"errorType":"Runtime.InvalidEntrypoint","errorMessage":"RequestId: {{request.RequestId}} Error: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]"}""",
            Text(result));
        Assert.Equal("Runtime.InvalidEntrypoint", result.ErrorType);
        Assert.False(environment.IsReusable);
    }

    [Fact]
    public async Task Invoke_BootstrapNotExecutable_ReturnsPermissionDenied()
    {
        var stored = await worker.Store.PutAsync(WorkerFixture.Zip(("bootstrap", WorkerFixture.Asset("echo.sh"), 0x1A4)), CancellationToken.None);
        var function = worker.Function(stored.Id);
        await using var environment = await worker.CreateAsync(function);
        var request = WorkerFixture.Request("{}", function);

        var result = await WorkerFixture.InvokeAsync(environment, request);

        Assert.Equal(
            $$"""{"errorType":"Runtime.InvalidEntrypoint","errorMessage":"RequestId: {{request.RequestId}} Error: fork/exec /var/task/bootstrap: permission denied"}""",
            Text(result));
    }

    [Fact]
    public async Task Invoke_ResponseOverSixMegabytes_ReturnsResponseSizeTooLargeAndRuntimeGets413()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("big-response.sh"));
        await using var environment = await worker.CreateAsync(function);

        var tooLarge = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("6291557", function));
        var answered = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("\"last\"", function));

        Assert.Equal(
            """{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}""",
            Text(tooLarge));
        Assert.Equal("Unhandled", tooLarge.FunctionError);
        Assert.Equal("Function.ResponseSizeTooLarge", tooLarge.ErrorType);
        Assert.Equal(
            """{"errorType":"RequestEntityTooLarge","errorMessage":"Exceeded maximum allowed payload size (6291556 bytes)."} 413""",
            Text(answered));
        Assert.True(environment.IsReusable);
    }

    [Fact]
    public async Task Invoke_ResponseAtLimit_ReturnsIt()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("big-response.sh"));
        await using var environment = await worker.CreateAsync(function);

        var result = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("6291556", function));

        Assert.Null(result.FunctionError);
        Assert.Equal(6291556, result.Payload.Length);
        Assert.True(result.Payload.Span.IndexOfAnyExcept((byte)'a') < 0);
    }

    [Fact]
    public async Task Invoke_StreamingResponse_ReturnsConcatenatedChunks()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("streaming.sh"));
        await using var environment = await worker.CreateAsync(function);

        var result = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("\"ok\"", function));

        Assert.Equal("first chunk, second chunk", Text(result));
        Assert.Null(result.FunctionError);
    }

    [Fact]
    public async Task Invoke_StreamingErrorInTrailers_ReturnsTrailerError()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("streaming.sh"));
        await using var environment = await worker.CreateAsync(function);

        var result = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("\"fail\"", function));

        Assert.Equal("""{"errorMessage":"stream broke","errorType":"StreamError"}""", Text(result));
        Assert.Equal("Unhandled", result.FunctionError);
        Assert.Equal("StreamError", result.ErrorType);
        Assert.True(environment.IsReusable);
    }

    private static string Text(InvocationResult result) => Encoding.UTF8.GetString(result.Payload.Span);

    private static int IndexOf(IReadOnlyList<string> lines, string line)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i] == line)
            {
                return i;
            }
        }

        Assert.Fail($"'{line}' is not in the log: {string.Join(" | ", lines)}");
        return -1;
    }
}
