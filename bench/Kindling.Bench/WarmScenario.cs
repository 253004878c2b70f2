using System.Globalization;
using System.Net;
using System.Text;

namespace Kindling.Bench;

/// <summary>
/// Warm invokes, Kindling beside the peer (serverless-offline) and the floor (plain node http), all with the same
/// client and, for Node.js, the same handler file: latency on one connection per runtime, platform overhead (client
/// latency minus the REPORT line's Duration, on invokes with <c>LogType: Tail</c>), and throughput on 1, 16 and 64
/// connections with the warm-up excluded.
/// </summary>
internal sealed class WarmScenario(SuiteContext suite)
{
    private const int Memory = 1024;
    private static readonly byte[] Payload = "{\"hello\":\"world\"}"u8.ToArray();
    private static readonly int[] ConnectionCounts = [1, 16, 64];

    public async Task<Section> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<BenchResult>();
        var invokes = suite.Quick ? 200 : 2000;
        // Long enough for a .NET server's tiered compilation to settle (Kindling serves about half as much again once it has).
        var warmUp = TimeSpan.FromSeconds(suite.Quick ? 0.3 : 10);
        var duration = TimeSpan.FromSeconds(suite.Quick ? 1 : 10);
        // 64 environments of 1,024 MB fit only the suite's explicit budget; without one they would be refused.
        var throughputMemory = suite.Features.EffectiveBudgetBytes >= 64L * Memory << 20 ? Memory : 256;
        suite.Configuration["warm"] = new { Memory, ThroughputMemory = throughputMemory, SequentialInvokes = invokes, WarmUpSeconds = warmUp.TotalSeconds, DurationSeconds = duration.TotalSeconds, Connections = ConnectionCounts };
        var warm = new Dictionary<string, BenchResult>();
        var throughput = new Dictionary<(string Target, int Connections), double>();

        await using (var server = await suite.StartServerAsync(cancellationToken))
        {
            var client = new LambdaClient(server.Endpoint);
            foreach (var package in suite.Code.Echoes())
            {
                var function = "warm-" + package.Runtime.Replace('.', '-');
                await client.CreateFunctionAsync(function, package.Zip, Memory, package.Handler, cancellationToken, package.Runtime);
                await client.WaitSettledAsync(function, cancellationToken);
                Console.Error.WriteLine($"  Kindling {package.Label}: {invokes} warm invokes, then {invokes} with LogType Tail…");
                await SequentialAsync(Math.Min(50, invokes), () => client.InvokeAsync(function, Payload, cancellationToken));
                var latency = await SequentialAsync(invokes, () => client.InvokeAsync(function, Payload, cancellationToken));
                var result = BenchResult.From($"Kindling {package.Label}, warm invoke, client", latency, TimeSpan.Zero, 1);
                results.Add(result);
                warm[package.Runtime] = result;
                suite.Charts.WarmLatency.Add(($"Kindling {package.Label}", latency.SamplesMilliseconds()));
                var (overhead, handler) = await OverheadAsync(client, function, invokes, cancellationToken);
                results.Add(BenchResult.From($"Kindling {package.Label}, platform overhead (client − REPORT Duration)", overhead, TimeSpan.Zero, 1));
                results.Add(BenchResult.From($"Kindling {package.Label}, REPORT Duration (handler and runtime client)", handler, TimeSpan.Zero, 1));
                suite.Key[$"warm overhead p50 ms ({package.Runtime})"] = results[^2].P50Milliseconds;
                suite.Key[$"warm overhead p99 ms ({package.Runtime})"] = results[^2].P99Milliseconds;
            }

            var node = "throughput-nodejs20-x";
            await client.CreateFunctionAsync(node, suite.Code.NodeEcho().Zip, throughputMemory, "index.handler", cancellationToken, "nodejs20.x");
            await client.WaitSettledAsync(node, cancellationToken);
            var invoke = client.PresignedInvoker(node, Payload, cancellationToken);
            foreach (var connections in ConnectionCounts)
            {
                results.Add(await ThroughputAsync("Kindling", connections, warmUp, duration, throughput, invoke));
            }
        }

        var peerNote = "";
        foreach (var target in new[] { "serverless-offline", "floor" })
        {
            NodeProcess process;
            try
            {
                process = target == "floor"
                    ? await NodeProcess.StartFloorAsync(suite.RepositoryRoot, cancellationToken)
                    : await NodeProcess.StartPeerAsync(suite.RepositoryRoot, cancellationToken);
            }
            catch (FileNotFoundException exception)
            {
                Console.Error.WriteLine($"  {target}: {exception.Message}; skipped");
                peerNote += $" {target} was not measured: {exception.Message}.";
                continue;
            }

            await using (process)
            {
                Console.Error.WriteLine($"  {target} (ready in {process.Startup.TotalSeconds:F1} s): {invokes} warm invokes…");
                var client = new LambdaClient(process.Endpoint);
                var name = NodeProcess.PeerFunctionName;
                await SequentialAsync(Math.Min(50, invokes), () => client.InvokeAsync(name, Payload, cancellationToken));
                var latency = await SequentialAsync(invokes, () => client.InvokeAsync(name, Payload, cancellationToken));
                var result = BenchResult.From($"{target} nodejs20.x, warm invoke, client", latency, TimeSpan.Zero, 1);
                results.Add(result);
                warm[target] = result;
                suite.Charts.WarmLatency.Add(($"{target} (node)", latency.SamplesMilliseconds()));
                var invoke = client.PresignedInvoker(name, Payload, cancellationToken);
                foreach (var connections in ConnectionCounts)
                {
                    results.Add(await ThroughputAsync(target, connections, warmUp, duration, throughput, invoke));
                }
            }
        }

        var note = new StringBuilder(
            $"Sequential invokes on one keep-alive connection after {Math.Min(50, invokes)} unrecorded ones, then closed-loop load on 1, 16 and 64 connections "
            + $"({warmUp.TotalSeconds:F1} s warm-up excluded, {duration.TotalSeconds:F0} s measured). Kindling functions at {Memory} MB; the throughput function at {throughputMemory} MB. "
            + "The peer is serverless-offline 13 (serverless 3) on its Lambda invoke endpoint; the floor is the same handler.js behind node's http module. "
            + "Platform overhead is measured on separate invokes with LogType Tail, which also carry the log tail back.");
        note.Append(peerNote);
        AppendRatios(note, warm, throughput);
        return new Section("Warm invoke: Kindling, the peer and the floor", note.ToString(), results);
    }

    private void AppendRatios(StringBuilder note, Dictionary<string, BenchResult> warm, Dictionary<(string Target, int Connections), double> throughput)
    {
        foreach (var other in new[] { "serverless-offline", "floor" })
        {
            if (!warm.TryGetValue("nodejs20.x", out var ours) || !warm.TryGetValue(other, out var theirs))
            {
                continue;
            }

            note.AppendLine().AppendLine().Append(CultureInfo.InvariantCulture,
                $"**Kindling ÷ {other}** (nodejs20.x): warm latency p50 {ours.P50Milliseconds / theirs.P50Milliseconds:F2}×, p99 {ours.P99Milliseconds / theirs.P99Milliseconds:F2}×");
            foreach (var connections in ConnectionCounts)
            {
                if (throughput.TryGetValue(("Kindling", connections), out var a) && throughput.TryGetValue((other, connections), out var b))
                {
                    note.Append(CultureInfo.InvariantCulture, $"; throughput on {connections} connection(s) {a / b:F2}×");
                    if (other == "serverless-offline" && connections == 16)
                    {
                        suite.Key["throughput 16 connections, Kindling ÷ serverless-offline"] = a / b;
                    }
                }
            }

            note.Append('.');
        }
    }

    private async Task<BenchResult> ThroughputAsync(string target, int connections, TimeSpan warmUp, TimeSpan duration,
        Dictionary<(string Target, int Connections), double> throughput, Func<Task<bool>> operation)
    {
        Console.Error.WriteLine($"  {target}: throughput on {connections} connection(s)…");
        var outcome = await ClosedLoad.RunAsync(connections, warmUp, duration, operation);
        var failures = outcome.Failures > 0 ? $", {outcome.Failures} refused" : "";
        var result = BenchResult.From($"{target} nodejs20.x, throughput{failures}", outcome.Recorder, outcome.Wall, connections);
        throughput[(target, connections)] = result.OpsPerSecond;
        suite.Charts.Throughput.Add((target, connections, result.OpsPerSecond));
        if (target == "Kindling" || target == "serverless-offline")
        {
            suite.Key[$"throughput {connections} connections/s ({target})"] = result.OpsPerSecond;
        }

        return result;
    }

    /// <summary>Per invoke: client latency minus the REPORT line's Duration, and that Duration.</summary>
    private static async Task<(LatencyRecorder Overhead, LatencyRecorder Handler)> OverheadAsync(LambdaClient client, string function, int invokes, CancellationToken cancellationToken)
    {
        var overhead = new LatencyRecorder();
        var handler = new LatencyRecorder();
        for (var i = 0; i < invokes; i++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var (status, body, log) = await client.InvokeRawAsync(function, Payload, true, cancellationToken);
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            var report = status == HttpStatusCode.OK ? ReportLine.Parse(log) : null;
            if (report is null)
            {
                throw new InvalidOperationException($"invoke {function}: {(int)status} {body}, no REPORT line in the log tail: {log}");
            }

            handler.Record(TimeSpan.FromMilliseconds(report.DurationMilliseconds));
            overhead.Record(elapsed - TimeSpan.FromMilliseconds(report.DurationMilliseconds));
        }

        return (overhead, handler);
    }

    private static async Task<LatencyRecorder> SequentialAsync(int count, Func<Task> operation) =>
        (await LatencyRecorder.SequentialAsync(count, operation)).Recorder;
}
