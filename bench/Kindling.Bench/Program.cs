using System.Globalization;
using System.Text;
using System.Text.Json;
using Kindling.Bench;

// kindling-bench [--quick] [--scenarios startup,controlplane,invoke,runtimes,queues] [--server BIN] [--out DIR]
// Starts servers of its own on loopback, measures them, and writes results.md and results.json.
var quick = args.Contains("--quick");
var scenarios = ArgValue("--scenarios")?.Split(',') ?? ["startup", "controlplane", "invoke", "runtimes", "queues"];
var repositoryRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
var binary = ArgValue("--server") ?? Path.Combine(repositoryRoot, "artifacts", "server", "kindling");
var output = ArgValue("--out") ?? Path.Combine(repositoryRoot, "bench", "results", DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
Directory.CreateDirectory(output);
var sections = new List<(string Title, string? Note, IReadOnlyList<BenchResult> Results)>();

if (scenarios.Contains("startup"))
{
    var startups = new List<double>();
    Console.Error.WriteLine("Server start-up (process start → ready line) × 5…");
    for (var i = 0; i < 5; i++)
    {
        await using var probe = await ServerProcess.StartAsync(binary, CancellationToken.None);
        startups.Add(probe.Startup.TotalMilliseconds);
    }

    startups.Sort();
    Console.Error.WriteLine($"  median {startups[2]:F0} ms (min {startups[0]:F0}, max {startups[4]:F0})");
    sections.Add(("Server start-up", string.Create(CultureInfo.InvariantCulture,
        $"Process start to the ready line, median of 5: **{startups[2]:F0} ms** (min {startups[0]:F0}, max {startups[4]:F0})."), []));
}

if (scenarios.Contains("controlplane"))
{
    Console.Error.WriteLine("Control plane:");
    await using var server = await ServerProcess.StartAsync(binary, CancellationToken.None);
    sections.Add(("Control plane", null, await new ControlPlaneScenario(server, quick).RunAsync(CancellationToken.None)));
}

if (scenarios.Contains("invoke"))
{
    Console.Error.WriteLine("Invoke:");
    await using var server = await ServerProcess.StartAsync(binary, CancellationToken.None);
    sections.Add(("Invoke", "Client-measured over keep-alive HTTP with SigV4, through the whole stack and a real sandbox.",
        await new InvokeScenario(server, quick, repositoryRoot).RunAsync(CancellationToken.None)));
}

if (scenarios.Contains("runtimes"))
{
    Console.Error.WriteLine("Managed runtimes:");
    await using var server = await ServerProcess.StartAsync(binary, CancellationToken.None);
    sections.Add(("Managed runtimes", "Hello world (echo) through Kindling's runtime interface clients. AWS Lambda's published Init Durations "
        + "(hello world, 512 MB, maxday/lambda-perf 2026-08): Python 3.12 82 ms, Node 22 138 ms, .NET 10 240 ms (+~170 ms JIT on the first invoke), .NET 10 AOT 72 ms.",
        await new RuntimesScenario(server, quick, repositoryRoot).RunAsync(CancellationToken.None)));
}

if (scenarios.Contains("queues"))
{
    Console.Error.WriteLine("Queues and asynchronous invocation:");
    await using var server = await ServerProcess.StartAsync(binary, CancellationToken.None);
    sections.Add(("Queues and asynchronous invocation", "The SQS-compatible API over AWS JSON 1.0 (SigV4 service sqs), and Event invokes of a python3.11 echo function (1,024 MB).",
        await new QueuesScenario(server, quick).RunAsync(CancellationToken.None)));
}

var markdown = new StringBuilder();
markdown.AppendLine(CultureInfo.InvariantCulture, $"# Kindling benchmarks ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores{(quick ? ", quick mode" : "")})");
foreach (var (title, note, results) in sections)
{
    markdown.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## {title}").AppendLine();
    if (note is not null)
    {
        markdown.AppendLine(note).AppendLine();
    }

    if (results.Count == 0)
    {
        continue;
    }

    markdown.AppendLine("| measurement | n | connections | per second | p50 ms | p99 ms |");
    markdown.AppendLine("|---|---:|---:|---:|---:|---:|");
    foreach (var r in results)
    {
        var rate = double.IsNaN(r.OpsPerSecond) ? "–" : r.OpsPerSecond.ToString("F0", CultureInfo.InvariantCulture);
        markdown.AppendLine(CultureInfo.InvariantCulture, $"| {r.Operation} | {r.Count} | {r.Connections} | {rate} | {r.P50Milliseconds:F2} | {r.P99Milliseconds:F2} |");
    }
}

File.WriteAllText(Path.Combine(output, "results.md"), markdown.ToString());
File.WriteAllText(Path.Combine(output, "results.json"), JsonSerializer.Serialize(sections.Select(s => new { s.Title, s.Note, s.Results }), new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
Console.WriteLine(markdown);
Console.Error.WriteLine($"Results written to {output}/results.md and results.json");

string? ArgValue(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
