using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Kindling.Bench;

/// <summary>
/// Burst scale-up from 0 to N concurrent environments: N invokes sent at once to a fresh server, each holding its
/// environment until a common release time, so every invoke needs its own environment. Each handler reports when
/// it started (host wall clock, which the sandboxes share); the time to N is when the N-th started.
/// </summary>
internal sealed class ScaleScenario(SuiteContext suite, IReadOnlyList<int> scales)
{
    private const int Memory = 128;

    public async Task<Section> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<BenchResult>();
        var notes = new StringBuilder();
        suite.Configuration["scale"] = new { Memory, Scales = scales, Hold = "max(5 s, 30 ms × N) after the burst is sent" };
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

        return new Section("Burst scale-up (0 → N concurrent environments)", ($"A fresh server per burst; N invokes sent at once over N keep-alive connections to a {Memory} MB function whose handler (python3.11, or a C bootstrap "
            + "for provided.al2023) holds until a common release time. n = environments that started; per second = N ÷ time to N; the p50 column holds "
            + $"the milliseconds until the N-th environment had started, the p99 column until 99% had. Budget (issue 7): 0 → 200 Python environments ≤ 5 s.{notes}"), results);
    }

    private async Task<BenchResult> BurstAsync(FunctionCode.Package package, int n, StringBuilder notes, CancellationToken cancellationToken)
    {
        await using var server = await suite.StartServerAsync(cancellationToken);
        var client = new LambdaClient(server.Endpoint, n + 8);
        var function = "scale-" + package.Runtime.Replace('.', '-');
        await client.CreateFunctionAsync(function, package.Zip, Memory, package.Handler, cancellationToken, package.Runtime);
        await client.WaitSettledAsync(function, cancellationToken);
        var hold = TimeSpan.FromMilliseconds(Math.Max(suite.Quick ? 2_000 : 5_000, 30.0 * n));
        Console.Error.WriteLine($"  {package.Label}: burst of {n} (held {hold.TotalSeconds:F1} s)…");
        var t0 = NowMilliseconds();
        var payload = JsonSerializer.SerializeToUtf8Bytes(new { release = t0 + hold.TotalMilliseconds });
        var answers = await Task.WhenAll(Enumerable.Range(0, n).Select(_ => client.InvokeRawAsync(function, payload, false, cancellationToken)));
        var starts = new List<double>();
        var refused = 0;
        foreach (var (status, body, _) in answers)
        {
            if (status == HttpStatusCode.OK)
            {
                using var document = JsonDocument.Parse(body);
                starts.Add(document.RootElement.GetProperty("start").GetDouble() - t0);
            }
            else
            {
                refused++;
            }
        }

        starts.Sort();
        var label = $"{package.Label} × {n}";
        suite.Charts.ScaleUp.Add((label, [(0, 0), .. starts.Select((s, i) => (s / 1000, i + 1))]));
        var reached = starts.Count == n ? starts[^1] : double.NaN;
        var p99 = Distribution.Percentile(starts, 99);
        if (refused > 0)
        {
            notes.Append(CultureInfo.InvariantCulture, $" {label}: {refused} invokes refused (first: {answers.First(a => a.Status != HttpStatusCode.OK).Body.Trim()}).");
        }

        if (starts.Count > 0 && starts[^1] >= hold.TotalMilliseconds)
        {
            notes.Append(CultureInfo.InvariantCulture, $" {label}: some environments started after the hold ended, so fewer than N ran at once.");
        }

        if (package.Runtime == "python3.11")
        {
            suite.Key[$"scale 0→{n} python3.11 ms"] = reached;
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {label}: {starts.Count} started, N-th at {reached:F0} ms, {refused} refused"));
        return new BenchResult($"{label}: environments started; ms until all N (p50 column) and 99% (p99 column)", starts.Count, n, starts.Count / (reached / 1000), reached, p99)
        {
            Distribution = Distribution.Of(starts),
        };
    }

    private static double NowMilliseconds() => DateTime.UtcNow.Subtract(DateTime.UnixEpoch).TotalMilliseconds;
}
