using System.Globalization;
using System.Text;
using System.Text.Json;
using Kindling.Bench;

// kindling-bench [--quick] [--server BIN] [--out DIR]: starts a server of its own and measures it.
var quick = args.Contains("--quick");
var binary = ArgValue("--server") ?? Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "artifacts", "server", "kindling");
var output = ArgValue("--out") ?? Path.Combine("bench", "results", DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
Directory.CreateDirectory(output);

var startups = new List<double>();
Console.Error.WriteLine("Server start-up (process start → ready line) × 5…");
for (var i = 0; i < 5; i++)
{
    await using var probe = await ServerProcess.StartAsync(binary, CancellationToken.None);
    startups.Add(probe.Startup.TotalMilliseconds);
}

startups.Sort();
Console.Error.WriteLine($"  median {startups[2]:F0} ms (min {startups[0]:F0}, max {startups[4]:F0})");

Console.Error.WriteLine("Control plane:");
IReadOnlyList<BenchResult> results;
await using (var server = await ServerProcess.StartAsync(binary, CancellationToken.None))
{
    results = await new ControlPlaneScenario(server, quick).RunAsync(CancellationToken.None);
}

var markdown = new StringBuilder();
markdown.AppendLine(CultureInfo.InvariantCulture, $"# Control plane ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores{(quick ? ", quick mode" : "")})");
markdown.AppendLine();
markdown.AppendLine(CultureInfo.InvariantCulture, $"Server start-up to ready, median of 5: **{startups[2]:F0} ms** (min {startups[0]:F0}, max {startups[4]:F0}).");
markdown.AppendLine();
markdown.AppendLine("| operation | n | connections | ops/s | p50 ms | p99 ms |");
markdown.AppendLine("|---|---:|---:|---:|---:|---:|");
foreach (var r in results)
{
    markdown.AppendLine(CultureInfo.InvariantCulture, $"| {r.Operation} | {r.Count} | {r.Connections} | {r.OpsPerSecond:F0} | {r.P50Milliseconds:F2} | {r.P99Milliseconds:F2} |");
}

File.WriteAllText(Path.Combine(output, "controlplane.md"), markdown.ToString());
File.WriteAllText(Path.Combine(output, "controlplane.json"), JsonSerializer.Serialize(new { startupMs = startups, results }, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine(markdown);
Console.Error.WriteLine($"Results written to {output}/controlplane.md and controlplane.json");

string? ArgValue(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
