using System.Diagnostics;
using System.Text;

namespace Kindling.Bench;

/// <summary>
/// Invoke through the whole stack (SigV4 → frontend → worker manager → sandbox → Runtime API) with the three
/// custom runtimes of the test suite: cold start (a new environment → first response, client-measured), warm
/// latency on one connection, throughput on 16 connections, and memory per idle (frozen) environment.
/// </summary>
internal sealed class InvokeScenario(ServerProcess server, bool quick, string repositoryRoot)
{
    private readonly LambdaClient _client = new(server.Endpoint);

    public async Task<IReadOnlyList<BenchResult>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<BenchResult>();
        var runtimes = new List<(string Name, byte[] Zip, string Handler, int Memory)>
        {
            ("aot", AotZip(), "bootstrap", 128),
            ("tutorial", TutorialZip(), "function.handler", 128),
        };
        if (NodeRicZip() is { } ric)
        {
            runtimes.Add(("node-ric", ric, "index.handler", 512));
        }

        var payload = "{\"hello\":\"world\"}"u8.ToArray();
        foreach (var (name, zip, handler, memory) in runtimes)
        {
            var function = $"bench-{name}";
            await _client.CreateFunctionAsync(function, zip, memory, handler, cancellationToken);
            await _client.WaitSettledAsync(function, cancellationToken);
            var colds = quick ? 5 : (name == "node-ric" ? 20 : 50);
            Console.Error.WriteLine($"  {name}: cold starts × {colds}…");
            var cold = new LatencyRecorder();
            for (var i = 0; i < colds; i++)
            {
                await _client.TouchConfigurationAsync(function, i, cancellationToken);
                var started = Stopwatch.GetTimestamp();
                await _client.InvokeAsync(function, payload, cancellationToken);
                cold.Record(Stopwatch.GetElapsedTime(started));
            }

            results.Add(Result($"cold start, {name} ({memory} MB)", cold, TimeSpan.Zero, 1));
            var warms = quick ? 50 : (name == "tutorial" ? 100 : 1000);
            Console.Error.WriteLine($"  {name}: warm invokes × {warms} (1 connection)…");
            var (warm, wall) = await LatencyRecorder.SequentialAsync(warms, () => _client.InvokeAsync(function, payload, cancellationToken));
            results.Add(Result($"warm invoke, {name} ({memory} MB)", warm, wall, 1));
        }

        var hot = "bench-throughput";
        await _client.CreateFunctionAsync(hot, AotZip(), 1024, "bootstrap", cancellationToken);
        await _client.WaitSettledAsync(hot, cancellationToken);
        var duration = TimeSpan.FromSeconds(quick ? 2 : 10);
        Console.Error.WriteLine($"  aot (1024 MB): throughput on 16 connections for {duration.TotalSeconds:F0} s…");
        results.Add(await ThroughputAsync(hot, payload, 16, duration, cancellationToken));
        results.Add(IdleMemory());
        return results;
    }

    private async Task<BenchResult> ThroughputAsync(string function, byte[] payload, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        // Warm the environments first: the measurement is steady state.
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => _client.InvokeAsync(function, payload, cancellationToken)));
        var recorder = new LatencyRecorder();
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            while (wall.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                await _client.InvokeAsync(function, payload, cancellationToken);
                recorder.Record(Stopwatch.GetElapsedTime(started));
            }
        }));
        return Result($"throughput, aot (1024 MB), {connections} connections", recorder, wall.Elapsed, connections);
    }

    /// <summary>Average memory charged to an idle environment's cgroup (v1 hierarchy of this machine).</summary>
    private static BenchResult IdleMemory()
    {
        var root = "/sys/fs/cgroup/memory";
        var usages = Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "memory.usage_in_bytes", SearchOption.AllDirectories)
                .Where(p => Path.GetFileName(Path.GetDirectoryName(p)!).StartsWith("k-", StringComparison.Ordinal))
                .Select(p => long.Parse(File.ReadAllText(p).Trim(), System.Globalization.CultureInfo.InvariantCulture))
                .ToList()
            : [];
        var average = usages.Count == 0 ? double.NaN : usages.Average() / (1024 * 1024);
        Console.Error.WriteLine($"    idle environments: {usages.Count}, average cgroup memory {average:F1} MiB");
        // The value (MiB) goes in the p50/p99 columns; there is no rate.
        return new BenchResult($"memory per idle environment (MiB, {usages.Count} environments)", usages.Count, 0, double.NaN, average, average);
    }

    private static BenchResult Result(string name, LatencyRecorder recorder, TimeSpan wall, int connections) =>
        BenchResult.From(name, recorder, wall, connections);

    private byte[] AotZip() =>
        FunctionCode.Zip(new Dictionary<string, byte[]> { ["bootstrap"] = File.ReadAllBytes(Path.Combine(repositoryRoot, "artifacts", "test-bootstraps", "aot", "bootstrap")) }, ["bootstrap"]);

    private byte[] TutorialZip()
    {
        var directory = Path.Combine(repositoryRoot, "runtimes", "tests", "tutorial");
        return FunctionCode.Zip(new Dictionary<string, byte[]>
        {
            ["bootstrap"] = File.ReadAllBytes(Path.Combine(directory, "bootstrap")),
            ["function.sh"] = File.ReadAllBytes(Path.Combine(directory, "function.sh")),
        }, ["bootstrap"]);
    }

    private byte[]? NodeRicZip()
    {
        var modules = Path.Combine(repositoryRoot, "artifacts", "test-bootstraps", "node-ric", "node_modules");
        if (!Directory.Exists(modules))
        {
            return null;
        }

        var files = new Dictionary<string, byte[]>
        {
            ["index.js"] = Encoding.UTF8.GetBytes("exports.handler = async (event) => ({ echo: event });\n"),
            ["bootstrap"] = Encoding.UTF8.GetBytes("#!/bin/sh\ncd \"$LAMBDA_TASK_ROOT\"\nexec /usr/bin/node \"$LAMBDA_TASK_ROOT/node_modules/aws-lambda-ric/bin/index.mjs\" \"$_HANDLER\"\n"),
        };
        foreach (var file in Directory.EnumerateFiles(modules, "*", SearchOption.AllDirectories))
        {
            if (new FileInfo(file).LinkTarget is null)
            {
                files[Path.GetRelativePath(Path.GetDirectoryName(modules)!, file)] = File.ReadAllBytes(file);
            }
        }

        return FunctionCode.Zip(files, [.. files.Keys.Where(k => k == "bootstrap" || k.EndsWith(".mjs", StringComparison.Ordinal) || k.EndsWith(".node", StringComparison.Ordinal))]);
    }
}
