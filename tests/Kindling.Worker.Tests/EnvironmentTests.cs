using System.Text;
using Kindling.Invocation.Environments;
using Kindling.Worker.Environments;

namespace Kindling.Worker.Tests;

[Collection(WorkerCollection.Name)]
public sealed class EnvironmentTests(WorkerFixture worker)
{
    [Fact]
    public async Task Environment_Variables_AreExactlyLambdas()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("env.sh")) with
        {
            MemorySizeMb = 256,
            Variables = new Dictionary<string, string> { ["GREETING"] = "hello", ["TZ"] = "Europe/Paris" },
        };
        await using var environment = await worker.CreateAsync(function);

        var result = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("{}", function));

        var variables = Encoding.UTF8.GetString(result.Payload.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
        var stream = ((ExecutionEnvironment)environment).LogStreamName;
        var expected = new Dictionary<string, string>
        {
            ["_HANDLER"] = "function.handler",
            ["AWS_REGION"] = "us-east-1",
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_LAMBDA_FUNCTION_NAME"] = function.FunctionName,
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256",
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand",
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + function.FunctionName,
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = stream,
            ["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:9001",
            ["LAMBDA_TASK_ROOT"] = "/var/task",
            ["LAMBDA_RUNTIME_DIR"] = "/var/runtime",
            ["TZ"] = "Europe/Paris",
            ["LANG"] = "en_US.UTF-8",
            ["PATH"] = "/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin",
            ["LD_LIBRARY_PATH"] = "/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib",
            ["GREETING"] = "hello",
            ["PWD"] = "/var/task",
        };
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), variables.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Matches(@"^\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}$", stream);
        Assert.EndsWith(environment.Id, stream, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Environment_JsonLogFormat_AddsLogVariables()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("env.sh")) with
        {
            LogFormat = "JSON",
            ApplicationLogLevel = "debug",
            Runtime = "provided.al2",
        };
        await using var environment = await worker.CreateAsync(function);

        var result = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("{}", function));

        var lines = Encoding.UTF8.GetString(result.Payload.Span).Split('\n');
        Assert.Contains("AWS_LAMBDA_LOG_FORMAT=JSON", lines);
        Assert.Contains("AWS_LAMBDA_LOG_LEVEL=DEBUG", lines);
        Assert.DoesNotContain(lines, line => line.StartsWith("AWS_EXECUTION_ENV=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invoke_Warm_KeepsTmp()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("tmp.sh"));
        await using var environment = await worker.CreateAsync(function);

        var first = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("{}", function));
        await environment.FreezeAsync(CancellationToken.None);
        await environment.ThawAsync(CancellationToken.None);
        var second = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("{}", function));

        Assert.Equal("1", Encoding.UTF8.GetString(first.Payload.Span));
        Assert.Equal("2", Encoding.UTF8.GetString(second.Payload.Span));
    }

    [Fact]
    public async Task Invoke_NewEnvironment_StartsWithEmptyTmp()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("tmp.sh"));
        await using (var first = await worker.CreateAsync(function))
        {
            await WorkerFixture.InvokeAsync(first, WorkerFixture.Request("{}", function));
        }

        await using var second = await worker.CreateAsync(function);
        var result = await WorkerFixture.InvokeAsync(second, WorkerFixture.Request("{}", function));

        Assert.Equal("1", Encoding.UTF8.GetString(result.Payload.Span));
    }

    [Fact]
    public async Task Invoke_BootstrapInLayer_RunsFromOptWithLaterLayerWinning()
    {
        var first = await worker.Store.PutAsync(
            WorkerFixture.Zip(("bootstrap", WorkerFixture.Asset("probe.sh"), 0x1ED), ("data/which", "first layer", 0x1A4), ("data/only-first", "kept", 0x1A4)),
            CancellationToken.None);
        var second = await worker.Store.PutAsync(WorkerFixture.Zip(("data/which", "second layer", 0x1A4)), CancellationToken.None);
        var code = await worker.Store.PutAsync(WorkerFixture.Zip(("handler.txt", "code", 0x1A4)), CancellationToken.None);
        var function = worker.Function(code.Id) with { LayerCodeIds = [first.Id, second.Id] };
        await using var environment = await worker.CreateAsync(function);

        var result = await WorkerFixture.InvokeAsync(
            environment, WorkerFixture.Request("cat /opt/data/which; echo; cat /opt/data/only-first; echo; cat /var/task/handler.txt; echo; ls -l /opt/bootstrap | cut -c1-10", function));

        Assert.Equal("second layer\nkept\ncode\n-rwxr-xr-x\n", Encoding.UTF8.GetString(result.Payload.Span));
    }

    [Fact]
    public async Task Environment_MemoryBytes_IsMemorySize()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("echo.sh")) with { MemorySizeMb = 192 };
        await using var environment = await worker.CreateAsync(function);

        Assert.Equal(192L * 1024 * 1024, environment.MemoryBytes);
        Assert.Same(function, environment.Function);
    }

    [Fact]
    public async Task Invoke_Concurrently_Throws()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("sleep.sh")) with { TimeoutSeconds = 1 };
        await using var environment = await worker.CreateAsync(function);

        var first = environment.InvokeAsync(WorkerFixture.Request("{}", function), CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => environment.InvokeAsync(WorkerFixture.Request("{}", function), CancellationToken.None));
        Assert.Equal("Sandbox.Timedout", (await first).ErrorType);
    }

    [Fact]
    public async Task Invoke_CallerCancels_ThrowsAndBreaksEnvironment()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("sleep.sh"));
        await using var environment = await worker.CreateAsync(function);
        using var cancel = new CancellationTokenSource();

        var invocation = environment.InvokeAsync(WorkerFixture.Request("{}", function), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => invocation);
        Assert.False(environment.IsReusable);
    }

    [Fact]
    public async Task Shutdown_RuntimeTrapsSigterm_ExitsBeforeKill()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("sigterm.sh"));
        var environment = await worker.CreateAsync(function);
        await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("{}", function));
        await environment.FreezeAsync(CancellationToken.None);

        await environment.ShutdownAsync("spindown", CancellationToken.None);
        await environment.DisposeAsync();

        Assert.False(environment.IsReusable);
        Assert.Contains("SIGTERM received", await worker.ReadLogAsync(environment));
    }

    [Fact]
    public async Task Create_InitTimesOut_RetriesAtFirstInvoke()
    {
        var factory = worker.FactoryWith(worker.Options with { InitTimeout = TimeSpan.FromMilliseconds(500) });
        var function = worker.Function(await worker.StoreBootstrapAsync("slow-init.sh", ("echo.sh", WorkerFixture.Asset("echo.sh"), 0x1ED))) with
        {
            TimeoutSeconds = 5,
            Variables = new Dictionary<string, string> { ["SLOW_INIT_SECONDS"] = "1" },
        };
        await using var environment = await factory.CreateAsync(function, InitializationType.OnDemand, CancellationToken.None);

        var result = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("\"retried\"", function));

        Assert.Equal("\"retried\"", Encoding.UTF8.GetString(result.Payload.Span));
        Assert.InRange(result.InitDurationMs!.Value, 1000, 5000);
        Assert.True(environment.IsReusable);
        var log = await worker.ReadLogAsync(environment);
        Assert.Contains(log, line => line.StartsWith("INIT_REPORT Init Duration: ", StringComparison.Ordinal) && line.EndsWith(" ms\tPhase: init\tStatus: timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invoke_RetriedInitTimesOut_ReturnsSandboxTimedout()
    {
        var factory = worker.FactoryWith(worker.Options with { InitTimeout = TimeSpan.FromMilliseconds(300) });
        var function = worker.Function(await worker.StoreBootstrapAsync("slow-init.sh", ("echo.sh", WorkerFixture.Asset("echo.sh"), 0x1ED))) with
        {
            TimeoutSeconds = 1,
            Variables = new Dictionary<string, string> { ["SLOW_INIT_SECONDS"] = "30" },
        };
        await using var environment = await factory.CreateAsync(function, InitializationType.OnDemand, CancellationToken.None);
        var request = WorkerFixture.Request("{}", function);

        var result = await WorkerFixture.InvokeAsync(environment, request);

        Assert.Equal(
            $$"""{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: {{request.RequestId}} Error: Task timed out after 1.00 seconds"}""",
            Encoding.UTF8.GetString(result.Payload.Span));
        Assert.False(environment.IsReusable);
        var log = await worker.ReadLogAsync(environment);
        Assert.Contains(log, line => line.StartsWith("INIT_REPORT Init Duration: ", StringComparison.Ordinal) && line.EndsWith(" ms\tPhase: invoke\tStatus: timeout", StringComparison.Ordinal));
    }
}
