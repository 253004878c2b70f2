using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Kindling.Bench;

/// <summary>
/// Density: K idle python3.11 environments (128 MB), made by provisioned concurrency where the server makes it READY,
/// otherwise by K concurrent invokes that each hold their environment until a common release time. Once idle (and
/// frozen), the memory charged to their control groups is read: MiB per idle environment and environments per GiB.
/// </summary>
internal sealed class DensityScenario(SuiteContext suite)
{
    private const int Memory = 128;

    public async Task<Section> RunAsync(CancellationToken cancellationToken)
    {
        var budgetFits = (int)Math.Min(500, suite.Features.EffectiveBudgetBytes / (Memory << 20));
        var k = suite.Quick ? 10 : budgetFits;
        suite.Configuration["density"] = new { Memory, Environments = k };
        await using var server = await suite.StartServerAsync(cancellationToken);
        var client = new LambdaClient(server.Endpoint, k + 8);
        var function = "density-python";
        var package = FunctionCode.PythonHold();
        await client.CreateFunctionAsync(function, package.Zip, Memory, package.Handler, cancellationToken, package.Runtime, timeout: 900);
        await client.WaitSettledAsync(function, cancellationToken);
        var version = await Provisioning.PublishVersionAsync(client, function, cancellationToken);
        Console.Error.WriteLine($"  python3.11: {k} idle environments (provisioned concurrency if READY in time, else concurrent invokes)…");
        var why = await Provisioning.ProvisionAsync(client, function, version, k, TimeSpan.FromSeconds(suite.Quick ? 5 : 60), cancellationToken);
        string how;
        if (why is null)
        {
            how = $"PutProvisionedConcurrencyConfig {k} (READY)";
        }
        else
        {
            Console.Error.WriteLine($"    {why}; concurrent invokes instead");
            await Provisioning.TryDeleteAsync(client, function, version, cancellationToken);
            var payload = JsonSerializer.SerializeToUtf8Bytes(new { release = DateTime.UtcNow.Subtract(DateTime.UnixEpoch).TotalMilliseconds + Math.Max(3_000, 80.0 * k) });
            var answers = await Task.WhenAll(Enumerable.Range(0, k).Select(_ => client.InvokeRawAsync(function, payload, false, cancellationToken)));
            how = $"{k} concurrent invokes held until all were in ({answers.Count(a => a.Status == HttpStatusCode.OK)} answered 200; provisioned concurrency not used: {why})";
        }

        var groups = await SettledAsync(server.ProcessId, k, cancellationToken);
        var usage = new LatencyRecorder();
        var rss = new LatencyRecorder();
        foreach (var group in groups)
        {
            // Recorded as "milliseconds" = MiB, to reuse the percentile code.
            usage.Record(TimeSpan.FromMilliseconds(group.UsageBytes / 1048576.0));
            rss.Record(TimeSpan.FromMilliseconds(group.RssBytes / 1048576.0));
        }

        var frozen = groups.Count(g => g.Frozen);
        var mean = groups.Count == 0 ? double.NaN : groups.Average(g => g.UsageBytes) / 1048576.0;
        var perGiB = 1024 / mean;
        var onHost = (MachineInfo.MemoryBytes() - (1L << 30)) / 1048576.0 / mean;
        var serverRss = ServerRssMiB(server.ProcessId);
        suite.Key["idle python environments per GiB"] = perGiB;
        suite.Key["idle python MiB per environment"] = mean;
        suite.Key["idle python environments held"] = groups.Count;
        suite.Key["idle python environments on this host, projected"] = onHost;
        var usageResult = BenchResult.From($"cgroup memory usage per idle environment, MiB ({groups.Count} environments, {frozen} frozen)", usage, TimeSpan.Zero, 0);
        var rssResult = BenchResult.From("cgroup RSS (anonymous) per idle environment, MiB", rss, TimeSpan.Zero, 0);
        return new Section("Density (idle python3.11 environments)", ($"{how}. Memory charged to the sandboxes' control groups (usage includes page cache) once idle: mean **{mean:F2} MiB per environment → "
            + $"{perGiB:F0} environments per GiB**, about {onHost:F0} on this host's memory less 1 GiB (the Kindling server itself: {serverRss:F0} MiB RSS). "
            + "Budget (issue 7): ≥ 500 idle Python environments on this 24 GB machine. The p50/p99 columns hold MiB."), [usageResult, rssResult]);
    }

    /// <summary>Waits (up to 30 s) until K sandbox groups exist and all are frozen, then reads them.</summary>
    private static async Task<IReadOnlyList<CgroupMemory>> SettledAsync(int serverPid, int k, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var groups = CgroupMemory.Read(serverPid);
            if ((groups.Count >= k && groups.All(g => g.Frozen)) || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                return groups;
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static double ServerRssMiB(int pid) =>
        File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)) is { } line
            ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0
            : double.NaN;
}
