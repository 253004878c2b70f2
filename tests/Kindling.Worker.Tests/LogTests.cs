using System.Text.RegularExpressions;
using Kindling.Worker.Environments;

namespace Kindling.Worker.Tests;

[Collection(WorkerCollection.Name)]
public sealed partial class LogTests(WorkerFixture worker)
{
    [Fact]
    public async Task Invoke_Logs_FramesOutputWithStartEndReport()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("echo.sh"));
        await using var environment = await worker.CreateAsync(function);
        var cold = WorkerFixture.Request("{}", function);
        var warm = WorkerFixture.Request("{}", function);

        var coldResult = await WorkerFixture.InvokeAsync(environment, cold);
        var warmResult = await WorkerFixture.InvokeAsync(environment, warm);

        var log = await worker.ReadLogAsync(environment);
        Assert.Equal(9, log.Count);
        Assert.Matches(InitStart(), log[0]);
        Assert.Equal($"START RequestId: {cold.RequestId} Version: $LATEST", log[1]);
        Assert.Equal($"handling {cold.RequestId}", log[2]);
        Assert.Equal($"END RequestId: {cold.RequestId}", log[3]);
        Assert.Matches(Report(cold.RequestId, coldStart: true), log[4]);
        Assert.Equal($"START RequestId: {warm.RequestId} Version: $LATEST", log[5]);
        Assert.Equal($"handling {warm.RequestId}", log[6]);
        Assert.Equal($"END RequestId: {warm.RequestId}", log[7]);
        Assert.Matches(Report(warm.RequestId, coldStart: false), log[8]);
        Assert.NotNull(coldResult.InitDurationMs);
        Assert.Null(warmResult.InitDurationMs);
        Assert.Contains($"Init Duration: {coldResult.InitDurationMs:F2} ms\t", log[4], StringComparison.Ordinal);
        Assert.InRange(coldResult.MaxMemoryUsedMb, 1, 128);
    }

    [Fact]
    public async Task Invoke_TailRequested_ReturnsThisInvocationsLines()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("echo.sh"));
        await using var environment = await worker.CreateAsync(function);
        await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("{}", function));
        var request = WorkerFixture.Request("{}", function, tail: true);

        var result = await WorkerFixture.InvokeAsync(environment, request);

        var lines = result.LogTail!.Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.Equal($"START RequestId: {request.RequestId} Version: $LATEST", lines[0]);
        Assert.Equal($"handling {request.RequestId}", lines[1]);
        Assert.Equal($"END RequestId: {request.RequestId}", lines[2]);
        Assert.Matches(Report(request.RequestId, coldStart: false), lines[3]);
        Assert.Equal(string.Empty, lines[4]);
    }

    [Fact]
    public async Task Invoke_LinesWrittenJustBeforeTheResponse_AllBeforeEnd()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("burst.py")) with { MemorySizeMb = 1024 };
        await using var environment = await worker.CreateAsync(function);

        for (var i = 0; i < 3; i++)
        {
            var request = WorkerFixture.Request("{}", function, tail: true);
            var result = await WorkerFixture.InvokeAsync(environment, request);

            var lines = result.LogTail!.Split('\n');
            var end = Array.IndexOf(lines, $"END RequestId: {request.RequestId}");
            Assert.True(end > 0, result.LogTail);
            Assert.Equal("line 3000 of a burst written right before the response", lines[end - 1]);
        }
    }

    [Fact]
    public async Task Invoke_TailNotRequested_ReturnsNoTail()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("echo.sh"));
        await using var environment = await worker.CreateAsync(function);

        var result = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("{}", function));

        Assert.Null(result.LogTail);
    }

    [Fact]
    public async Task Invoke_LongOutput_TailKeepsLastFourKilobytes()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("probe.sh"));
        await using var environment = await worker.CreateAsync(function);
        var request = WorkerFixture.Request("for i in $(seq 1 2000); do echo \"line $i\" >&2; done; :", function, tail: true);

        var result = await WorkerFixture.InvokeAsync(environment, request);

        Assert.Equal(4096, System.Text.Encoding.UTF8.GetByteCount(result.LogTail!));
        Assert.EndsWith($"END RequestId: {request.RequestId}\n", result.LogTail![..(result.LogTail!.LastIndexOf("REPORT", StringComparison.Ordinal))], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reader_ListsStreamsAndReadsAfterPosition()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("echo.sh"));
        await using var environment = await worker.CreateAsync(function);
        var stream = ((ExecutionEnvironment)environment).LogStreamName;
        await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("{}", function));

        var streams = worker.Logs.ListStreams(function.FunctionName);
        var first = await worker.Logs.ReadAsync(function.FunctionName, stream, 0, 2, CancellationToken.None);
        var rest = await worker.Logs.ReadAsync(function.FunctionName, stream, first.NextPosition, 100, CancellationToken.None);
        var request = WorkerFixture.Request("{}", function);
        await WorkerFixture.InvokeAsync(environment, request);
        var later = await worker.Logs.ReadAsync(function.FunctionName, stream, rest.NextPosition, 100, CancellationToken.None);

        Assert.Equal(stream, Assert.Single(streams).Name);
        Assert.Equal(2, first.Events.Count);
        Assert.Equal(3, rest.Events.Count);
        Assert.Equal(4, later.Events.Count);
        Assert.Equal($"START RequestId: {request.RequestId} Version: $LATEST", later.Events[0].Message);
        Assert.Equal(streams[0].SizeBytes, rest.NextPosition);
        Assert.InRange(later.Events[0].Timestamp, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Empty(worker.Logs.ListStreams("never-ran"));
    }

    [GeneratedRegex(@"^INIT_START Runtime Version: provided:al2023\.v1\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$")]
    private static partial Regex InitStart();

    private static Regex Report(string requestId, bool coldStart) => new(
        $@"^REPORT RequestId: {requestId}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\t"
        + (coldStart ? @"Init Duration: \d+\.\d\d ms\t$" : "$"));
}
