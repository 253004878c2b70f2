using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Kindling.Bench;

/// <summary>
/// Burst scale-up from 0 to N concurrent environments: N invokes sent at once to a fresh server, each holding its
/// environment until a common release time, so every invoke needs its own environment. Each handler reports its
/// environment's id and when the invocation started and ended (host wall clock, which the sandboxes share); the
/// time to N is when N invocations were running at once.
/// </summary>
internal sealed class ScaleScenario(SuiteContext suite, IReadOnlyList<int> scales)
{
    private const int Memory = 128;
    private const int WarmUpEnvironments = 32;
    private const int WarmUpRounds = 2;
    private static readonly TimeSpan HoldPerEnvironment = TimeSpan.FromMilliseconds(80);

    public async Task<Section> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<BenchResult>();
        var notes = new StringBuilder();
        suite.Configuration["scale"] = new { Memory, Scales = scales, Hold = $"max({(suite.Quick ? 2 : 5)} s, {HoldPerEnvironment.TotalMilliseconds} ms × N) after the burst is sent" };
        foreach (var package in new[] { suite.Code.ProvidedHold(), FunctionCode.PythonHold() })
        {
            foreach (var n in scales)
            {
                if ((long)n * Memory << 20 > suite.Features.EffectiveBudgetBytes)
                {
                    notes.Append(CultureInfo.InvariantCulture, $" {package.Label} × {n}: {n} × {Memory} MB exceeds the server's memory budget, expect refusals.");
                }

                results.Add(await BurstAsync(package, n, notes, cancellationToken));
            }
        }

        return new Section("Burst scale-up (0 → N concurrent environments)",
            $"A fresh server per burst (first {WarmUpRounds} bursts of {WarmUpEnvironments} environments of another function, each followed by a 2 s pause, so that the server's launch path is compiled and optimized, as on a server that has been running); N invokes sent at once over N keep-alive "
            + $"connections to a {Memory} MB function whose handler (python3.11, or a C bootstrap for provided.al2023) holds until a common release time. "
            + "n = distinct environments; per second = N ÷ time to N; the p50 column holds the milliseconds until N invocations were running at once, "
            + $"the p99 column until 99% of them had started. Budget (issue 7): 0 → 200 Python environments ≤ 5 s.{notes}", results);
    }

    private async Task<BenchResult> BurstAsync(FunctionCode.Package package, int n, StringBuilder notes, CancellationToken cancellationToken)
    {
        // The previous burst's server has exited, but the kernel may still be tearing its sandboxes down.
        var waited = await MachineQuiet.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        await using var server = await suite.StartServerAsync(cancellationToken);
        var client = new LambdaClient(server.Endpoint, n + 8);
        var function = "scale-" + package.Runtime.Replace('.', '-');
        // Lambda's longest timeout: the hold must never be what ends an invocation.
        await client.CreateFunctionAsync(function, package.Zip, Memory, package.Handler, cancellationToken, package.Runtime, timeout: 900);
        await client.WaitSettledAsync(function, cancellationToken);
        // A fresh server compiles its invoke and launch paths on first use, then the hot ones again, optimized, after
        // ~30 calls: WarmUpRounds bursts of WarmUpEnvironments of another function first, each followed by a pause for
        // the background compiler, so that the burst measures scaling on a running server, not the JIT (the JIT took
        // ~15% of both CPUs during a server's first burst).
        await client.CreateFunctionAsync(function + "-warm-up", package.Zip, Memory, package.Handler, cancellationToken, package.Runtime);
        await client.WaitSettledAsync(function + "-warm-up", cancellationToken);
        for (var round = 0; round < WarmUpRounds; round++)
        {
            var warmUpRelease = JsonSerializer.SerializeToUtf8Bytes(new { release = DateTime.UtcNow.Subtract(DateTime.UnixEpoch).TotalMilliseconds + 1_000 });
            await Task.WhenAll(Enumerable.Range(0, WarmUpEnvironments).Select(_ => client.InvokeRawAsync(function + "-warm-up", warmUpRelease, false, cancellationToken)));
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
        var hold = TimeSpan.FromMilliseconds(Math.Max(suite.Quick ? 2_000 : 5_000, HoldPerEnvironment.TotalMilliseconds * n));
        Console.Error.WriteLine($"  {package.Label}: burst of {n} (held {hold.TotalSeconds:F1} s; {waited.TotalSeconds:F1} s waited for an idle machine first)…");
        var t0 = DateTime.UtcNow.Subtract(DateTime.UnixEpoch).TotalMilliseconds;
        var payload = JsonSerializer.SerializeToUtf8Bytes(new { release = t0 + hold.TotalMilliseconds });
        var answers = await Task.WhenAll(Enumerable.Range(0, n).Select(_ => client.InvokeRawAsync(function, payload, false, cancellationToken)));
        var runs = new List<(string Environment, double Start, double End)>();
        foreach (var (status, body, _) in answers.Where(a => a.Status == HttpStatusCode.OK))
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            runs.Add((root.GetProperty("env").GetString()!, root.GetProperty("start").GetDouble() - t0, root.GetProperty("end").GetDouble() - t0));
        }

        var refused = n - runs.Count;
        var label = $"{package.Label} × {n}";
        var environments = runs.GroupBy(r => r.Environment).Select(g => g.Min(r => r.Start)).Order().ToList();
        suite.Charts.ScaleUp.Add((label, [(0, 0), .. environments.Select((s, i) => (s / 1000, i + 1))]));
        var (peak, reached) = Peak(runs, n);
        var starts = runs.Select(r => r.Start).Order().ToList();
        if (refused > 0)
        {
            notes.Append(CultureInfo.InvariantCulture, $" {label}: {refused} invokes refused (first: {answers.First(a => a.Status != HttpStatusCode.OK).Body.Trim()}).");
        }

        if (peak < n)
        {
            notes.Append(CultureInfo.InvariantCulture, $" {label}: at most {peak} ran at once ({environments.Count} environments; the hold of {hold.TotalSeconds:F0} s ended before all were in).");
        }

        if (package.Runtime == "python3.11")
        {
            suite.Key[$"scale 0→{n} python3.11 ms"] = reached;
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {label}: {environments.Count} environments, {peak} at once, N at once after {reached:F0} ms, {refused} refused"));
        return new BenchResult($"{label}: environments; ms until N ran at once (p50 column), until 99% had started (p99 column)", environments.Count, n,
            n / (reached / 1000), reached, Distribution.Percentile(starts, 99))
        {
            Distribution = Distribution.Of(starts),
        };
    }

    /// <summary>The most invocations running at once, and when the count first reached <paramref name="n"/> (NaN if never).</summary>
    private static (int Peak, double ReachedMilliseconds) Peak(List<(string Environment, double Start, double End)> runs, int n)
    {
        var events = runs.Select(r => (Time: r.Start, Change: 1)).Concat(runs.Select(r => (Time: r.End, Change: -1)))
            .OrderBy(e => e.Time).ThenBy(e => e.Change);
        var running = 0;
        var peak = 0;
        var reached = double.NaN;
        foreach (var (time, change) in events)
        {
            running += change;
            peak = Math.Max(peak, running);
            if (running >= n && double.IsNaN(reached))
            {
                reached = time;
            }
        }

        return (peak, reached);
    }
}
