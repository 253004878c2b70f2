using System.Text;
using System.Text.Json;
using Kindling.Invocation.Environments;

namespace Kindling.Worker.Tests;

/// <summary>External extensions, the Extensions API and the Telemetry and Logs APIs, with real sandboxes.</summary>
[Collection(WorkerCollection.Name)]
public sealed class ExtensionTests(WorkerFixture worker)
{
    private const int Executable = 0x1ED;

    [Fact]
    public async Task Extension_Registers_AndGetsEveryInvoke()
    {
        var function = await FunctionAsync("no-telemetry");
        await using var environment = await worker.CreateAsync(function);

        var ids = new List<string>();
        JsonElement state = default;
        for (var i = 0; i < 4; i++)
        {
            var request = WorkerFixture.Request("{}", function);
            var result = await WorkerFixture.InvokeAsync(environment, request);
            Assert.Null(result.ErrorType);
            state = Json(result)["counter"];
            // Each invocation ended only once the extension had taken its INVOKE and called next again.
            var seen = state.GetProperty("requestIds").EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.True(ids.SequenceEqual(seen.Take(ids.Count)), $"{i}: expected {string.Join(',', ids)} saw {string.Join(',', seen)}");
            ids.Add(request.RequestId);
            await environment.FreezeAsync(CancellationToken.None);
            await environment.ThawAsync(CancellationToken.None);
        }

        var register = state.GetProperty("register");
        Assert.Equal(200, register.GetProperty("status").GetInt32());
        Assert.Equal(
            $$"""{"functionName":"{{function.FunctionName}}","functionVersion":"$LATEST","handler":"function.handler","accountId":"123456789012"}""",
            Compact(register.GetProperty("body")));
        var last = state.GetProperty("lastEvent");
        Assert.Equal("INVOKE", last.GetProperty("eventType").GetString());
        // The function read it while the extension may already have had the INVOKE of the same invocation.
        Assert.Contains(last.GetProperty("requestId").GetString(), ids.TakeLast(2));
        Assert.Equal(function.FunctionArn, last.GetProperty("invokedFunctionArn").GetString());
        Assert.Equal("X-Amzn-Trace-Id", last.GetProperty("tracing").GetProperty("type").GetString());
        Assert.True(environment.IsReusable);

        await environment.ShutdownAsync("spindown", CancellationToken.None);
        var log = await worker.ReadLogAsync(environment);
        Assert.Contains("counter SHUTDOWN spindown after 4 invokes", log);
        Assert.Contains("counter registered", log);
        Assert.Contains($"counter INVOKE {ids[0]}", log);
    }

    [Fact]
    public async Task Invoke_ResponseGoesFirst_InvocationEndsWhenExtensionsAreDone()
    {
        var function = await FunctionAsync("slow", ("COUNTER_SLOW_MS", "400"));
        await using var environment = await worker.CreateAsync(function);
        var request = WorkerFixture.Request("{}", function);

        var result = await WorkerFixture.InvokeAsync(environment, request);

        Assert.Null(result.ErrorType);
        Assert.DoesNotContain(await worker.ReadLogAsync(environment), line => line.StartsWith("REPORT RequestId: " + request.RequestId, StringComparison.Ordinal));
        await environment.FreezeAsync(CancellationToken.None);
        var report = Assert.Single(await worker.ReadLogAsync(environment), line => line.StartsWith("REPORT RequestId: " + request.RequestId, StringComparison.Ordinal));
        var duration = double.Parse(report.Split('\t')[1].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(duration >= 400, report);
        await environment.ThawAsync(CancellationToken.None);
        var second = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("{}", function));
        Assert.Equal(1, Json(second)["counter"].GetProperty("slowDone").GetInt32());
    }

    [Fact]
    public async Task Shutdown_AfterTimeout_ReasonIsTimeout()
    {
        var function = await FunctionAsync("no-telemetry") with { TimeoutSeconds = 1 };
        await using var environment = await worker.CreateAsync(function);

        var result = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("\"sleep\"", function));

        Assert.Equal("Sandbox.Timedout", result.ErrorType);
        Assert.False(environment.IsReusable);
        await environment.ShutdownAsync("failure", CancellationToken.None);
        var log = await worker.ReadLogAsync(environment);
        Assert.True(log.Contains("counter SHUTDOWN timeout after 1 invokes"), string.Join("\n", log));
    }

    [Fact]
    public async Task Shutdown_AfterRuntimeExit_ReasonIsFailure()
    {
        var function = await FunctionAsync("no-telemetry");
        await using var environment = await worker.CreateAsync(function);
        var request = WorkerFixture.Request("\"exit\"", function);

        var result = await WorkerFixture.InvokeAsync(environment, request);

        Assert.Equal("Runtime.ExitError", result.ErrorType);
        Assert.Equal(
            $$"""{"errorType":"Runtime.ExitError","errorMessage":"RequestId: {{request.RequestId}} Error: Runtime exited with error: exit status 2"}""",
            Encoding.UTF8.GetString(result.Payload.Span));
        await environment.ShutdownAsync("failure", CancellationToken.None);
        Assert.Contains("counter SHUTDOWN failure after 1 invokes", await worker.ReadLogAsync(environment));
    }

    [Fact]
    public async Task InitError_ReachesTheFirstInvoke()
    {
        var function = await FunctionAsync("init-error");
        await using var environment = await worker.CreateAsync(function);
        var request = WorkerFixture.Request("{}", function);

        var result = await WorkerFixture.InvokeAsync(environment, request);

        Assert.Equal("Extension.InitError", result.ErrorType);
        Assert.Equal(
            $$"""{"errorType":"Extension.InitError","errorMessage":"RequestId: {{request.RequestId}} Error: Extension counter reported an init error: Counter.NoConfig"}""",
            Encoding.UTF8.GetString(result.Payload.Span));
        Assert.False(environment.IsReusable);
        var log = await worker.ReadLogAsync(environment);
        Assert.Contains(log, line => line.StartsWith("INIT_REPORT Init Duration: ", StringComparison.Ordinal) && line.EndsWith("\tPhase: init\tStatus: error\tError Type: Extension.InitError", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExitError_FailsTheInvocation()
    {
        var function = await FunctionAsync("exit-error");
        await using var environment = await worker.CreateAsync(function);
        var request = WorkerFixture.Request("\"pause\"", function);

        var result = await WorkerFixture.InvokeAsync(environment, request);

        Assert.Equal("Extension.ExitError", result.ErrorType);
        Assert.Equal(
            $$"""{"errorType":"Extension.ExitError","errorMessage":"RequestId: {{request.RequestId}} Error: Extension counter reported an exit error: Counter.Broken"}""",
            Encoding.UTF8.GetString(result.Payload.Span));
        Assert.False(environment.IsReusable);
    }

    [Fact]
    public async Task Extensions_MoreThanTen_FailInit()
    {
        var layer = Enumerable.Range(0, 11).Select(i => ($"extensions/counter{i:D2}", WorkerFixture.Asset("extensions/counter.py"), Executable)).ToArray();
        var function = await FunctionAsync(string.Empty, layer: layer);
        await using var environment = await worker.CreateAsync(function);
        var request = WorkerFixture.Request("{}", function);

        var result = await WorkerFixture.InvokeAsync(environment, request);

        Assert.Equal("TooManyExtensions", result.ErrorType);
        Assert.Equal(
            $$"""{"errorType":"TooManyExtensions","errorMessage":"RequestId: {{request.RequestId}} Error: Extension limit (10) reached: /opt/extensions holds 11"}""",
            Encoding.UTF8.GetString(result.Payload.Span));
    }

    [Fact]
    public async Task Telemetry_DeliversPlatformFunctionAndExtensionEvents()
    {
        var function = await FunctionAsync(string.Empty);
        await using var environment = await worker.CreateAsync(function);
        var first = WorkerFixture.Request("{}", function);
        await WorkerFixture.InvokeAsync(environment, first);
        await environment.FreezeAsync(CancellationToken.None);
        await environment.ThawAsync(CancellationToken.None);

        var result = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("\"telemetry\"", function));

        var events = JsonDocument.Parse(result.Payload).RootElement.EnumerateArray().ToList();
        var types = events.Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal("platform.initStart", types[0]);
        var initStart = events[0].GetProperty("record");
        Assert.Equal("on-demand", initStart.GetProperty("initializationType").GetString());
        Assert.Equal("init", initStart.GetProperty("phase").GetString());
        Assert.Equal("provided:al2023.v1", initStart.GetProperty("runtimeVersion").GetString());
        Assert.Equal(function.FunctionName, initStart.GetProperty("functionName").GetString());
        Assert.Contains("platform.extension", types);
        Assert.Contains("platform.telemetrySubscription", types);
        Assert.Contains("platform.initRuntimeDone", types);
        var initReport = Record(events, "platform.initReport", null);
        Assert.Equal("success", initReport.GetProperty("status").GetString());
        Assert.True(initReport.GetProperty("metrics").GetProperty("durationMs").GetDouble() > 0);

        var start = Record(events, "platform.start", first.RequestId);
        Assert.Equal("$LATEST", start.GetProperty("version").GetString());
        var runtimeDone = Record(events, "platform.runtimeDone", first.RequestId);
        Assert.Equal("success", runtimeDone.GetProperty("status").GetString());
        var report = Record(events, "platform.report", first.RequestId);
        Assert.Equal("success", report.GetProperty("status").GetString());
        var metrics = report.GetProperty("metrics");
        Assert.Equal(
            ["durationMs", "billedDurationMs", "memorySizeMB", "maxMemoryUsedMB", "initDurationMs"],
            metrics.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1024, metrics.GetProperty("memorySizeMB").GetInt32());
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "function" && e.GetProperty("record").GetString() == "function line for " + first.RequestId);
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "extension" && e.GetProperty("record").GetString() == "counter INVOKE " + first.RequestId);
        Assert.All(events, e => Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", e.GetProperty("time").GetString()));
        Assert.True(types.IndexOf("platform.start") < types.IndexOf("platform.runtimeDone"));
        Assert.True(types.IndexOf("platform.runtimeDone") < types.IndexOf("platform.report"));
    }

    [Fact]
    public async Task Telemetry_BatchesRespectMaxItems()
    {
        var function = await FunctionAsync(string.Empty, ("COUNTER_BUFFERING", """{"maxItems":25,"timeoutMs":30000}"""));
        await using var environment = await worker.CreateAsync(function);
        await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("\"lines\"", function));
        await environment.FreezeAsync(CancellationToken.None);
        await environment.ThawAsync(CancellationToken.None);

        var result = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("{}", function));

        var state = Json(result)["counter"];
        Assert.Equal(25, state.GetProperty("largestBatch").GetInt32());
        Assert.True(state.GetProperty("events").GetInt32() > 60);
        Assert.Equal("OK", state.GetProperty("subscribe").GetProperty("body").GetString());
    }

    [Fact]
    public async Task LogsApi_DeliversItsOwnPlatformEvents()
    {
        var function = await FunctionAsync("logs-api");
        await using var environment = await worker.CreateAsync(function);
        var first = WorkerFixture.Request("{}", function);
        await WorkerFixture.InvokeAsync(environment, first);
        await environment.FreezeAsync(CancellationToken.None);
        await environment.ThawAsync(CancellationToken.None);

        var result = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("\"telemetry\"", function));

        var events = JsonDocument.Parse(result.Payload).RootElement.EnumerateArray().ToList();
        var types = events.Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.DoesNotContain("platform.initStart", types);
        Assert.DoesNotContain("platform.telemetrySubscription", types);
        Assert.Contains("platform.logsSubscription", types);
        Assert.Equal($$"""{"requestId":"{{first.RequestId}}","version":"$LATEST"}""", Compact(Record(events, "platform.start", first.RequestId)));
        Assert.Equal($$"""{"requestId":"{{first.RequestId}}"}""", Compact(Record(events, "platform.end", first.RequestId)));
        var report = Record(events, "platform.report", first.RequestId);
        Assert.False(report.TryGetProperty("status", out _));
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "function" && e.GetProperty("record").GetString() == "function line for " + first.RequestId);
    }

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);

    private static JsonElement Record(List<JsonElement> events, string type, string? requestId)
        => events.Select(e => e).First(e => e.GetProperty("type").GetString() == type
            && (requestId is null || e.GetProperty("record").GetProperty("requestId").GetString() == requestId)).GetProperty("record");

    private static Dictionary<string, JsonElement> Json(InvocationResult result)
        => JsonDocument.Parse(result.Payload).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());

    private async Task<FunctionSpec> FunctionAsync(string mode, params (string Name, string Value)[] variables)
        => await FunctionAsync(mode, layer: null, variables);

    private async Task<FunctionSpec> FunctionAsync(string mode, (string Name, string Content, int Mode)[]? layer, params (string Name, string Value)[] variables)
    {
        var code = await worker.Store.PutAsync(WorkerFixture.Zip(("bootstrap", WorkerFixture.Asset("extensions/bootstrap"), Executable)), CancellationToken.None);
        layer ??= [("extensions/counter", WorkerFixture.Asset("extensions/counter.py"), Executable)];
        var stored = await worker.Store.PutAsync(WorkerFixture.Zip(layer), CancellationToken.None);
        var environment = new Dictionary<string, string> { ["COUNTER_MODE"] = mode };
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        return worker.Function(code.Id, "ext") with { MemorySizeMb = 1024, LayerCodeIds = [stored.Id], Variables = environment };
    }
}
