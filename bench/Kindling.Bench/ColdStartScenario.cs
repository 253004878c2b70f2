using System.Diagnostics;
using System.Net;

namespace Kindling.Bench;

/// <summary>
/// Cold start per runtime: a new environment → first response, client-measured, with the REPORT line's Init
/// Duration beside it. Each cold start follows UpdateFunctionConfiguration (a new environment variable), which
/// retires the function's environments, so the next invoke must start a new one.
/// </summary>
internal sealed class ColdStartScenario(SuiteContext suite)
{
    private const int Memory = 1024;
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    public async Task<Section> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<BenchResult>();
        var colds = suite.Quick ? 3 : 50;
        suite.Configuration["coldstart"] = new { Memory, ColdStartsPerRuntime = colds, Forced = "UpdateFunctionConfiguration before each invoke", SettleMilliseconds = Settle.TotalMilliseconds };
        await using var server = await suite.StartServerAsync(cancellationToken);
        var client = new LambdaClient(server.Endpoint);
        var payload = "{\"hello\":\"world\"}"u8.ToArray();
        foreach (var package in suite.Code.Echoes())
        {
            var function = "cold-" + package.Runtime.Replace('.', '-');
            await client.CreateFunctionAsync(function, package.Zip, Memory, package.Handler, cancellationToken, package.Runtime);
            await client.WaitSettledAsync(function, cancellationToken);
            Console.Error.WriteLine($"  {package.Label}: cold starts × {colds}…");
            var latency = new LatencyRecorder();
            var init = new LatencyRecorder();
            var rest = new LatencyRecorder();
            for (var i = 0; i < colds; i++)
            {
                await client.TouchConfigurationAsync(function, i, cancellationToken);
                // Each cold start on a settled machine: the retired environment torn down, the pre-started stock
                // refilled (back to back, one shape's cold starts outrun its refill; see docs/performance-cold-start.md).
                await Task.Delay(Settle, cancellationToken);
                // Signed first: the time is the server's and the connection's, from the request sent to the response read.
                using var request = client.SignedInvoke(function, payload);
                var started = Stopwatch.GetTimestamp();
                var (status, body, requestId) = await client.SendInvokeAsync(request, cancellationToken);
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (status != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"cold invoke of {function}: {(int)status} {body}");
                }

                if (await ReadReportAsync(server.DataDirectory, function, requestId, cancellationToken) is not { InitDurationMilliseconds: { } initMs } report)
                {
                    throw new InvalidOperationException($"cold invoke of {function} ({requestId}): no REPORT line with Init Duration in its log");
                }

                latency.Record(elapsed);
                init.Record(TimeSpan.FromMilliseconds(initMs));
                rest.Record(elapsed - TimeSpan.FromMilliseconds(initMs + report.DurationMilliseconds));
            }

            results.Add(BenchResult.From($"{package.Label}, cold start, client (create environment → first response)", latency, TimeSpan.Zero, 1));
            results.Add(BenchResult.From($"{package.Label}, cold start, REPORT Init Duration", init, TimeSpan.Zero, 1));
            results.Add(BenchResult.From($"{package.Label}, cold start, client − Init Duration − Duration (placement, sandbox, API)", rest, TimeSpan.Zero, 1));
            suite.Key[$"cold start p50 ms ({package.Runtime})"] = results[^3].P50Milliseconds;
            suite.Charts.ColdLatency.Add((package.Label, latency.SamplesMilliseconds()));
        }

        return new Section("Cold start per runtime", ($"{colds} cold starts per runtime at {Memory} MB, one at a time, each {Settle.TotalMilliseconds} ms after UpdateFunctionConfiguration; "
            + "the client's time is to the first response (an invoke without a log tail, which returns when the function has answered; one with a tail also waits for the invocation's end), "
            + "Init Duration and Duration come from the REPORT line in the function's log. Budgets (issue 7): provided NativeAOT ≤ 10 ms, "
            + "Python ≤ 25 ms, Node ≤ 40 ms, .NET ≤ 60 ms. AWS Lambda's published Init Durations (hello world, maxday/lambda-perf 2026-08): .NET 10 AOT 72 ms, "
            + "Python 3.12 82 ms, Node 22 138 ms, .NET 10 240 ms."), results);
    }

    /// <summary>The REPORT line of <paramref name="requestId"/> in the function's log files, once written (it follows the response).</summary>
    private static async Task<ReportLine?> ReadReportAsync(string dataDirectory, string function, string requestId, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(dataDirectory, "logs", function);
        var marker = "REPORT RequestId: " + requestId + "\t";
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (Directory.Exists(directory))
            {
                foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*.log").OrderByDescending(f => f.LastWriteTimeUtc).Take(3))
                {
                    string text;
                    using (var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                    using (var reader = new StreamReader(stream))
                    {
                        text = await reader.ReadToEndAsync(cancellationToken);
                    }

                    var at = text.IndexOf(marker, StringComparison.Ordinal);
                    if (at >= 0 && text.IndexOf('\n', at) is var end and > 0)
                    {
                        return ReportLine.Parse(text[at..end]);
                    }
                }
            }

            await Task.Delay(5, cancellationToken);
        }

        return null;
    }
}
