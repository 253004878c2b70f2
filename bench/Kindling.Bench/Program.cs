using System.Globalization;
using System.Text;
using System.Text.Json;
using Kindling.Bench;

// kindling-bench [--quick] [--scenarios LIST] [--scale 100,200,500] [--server BIN] [--out DIR]
// Starts servers (and the peer and the floor) of its own on loopback, measures them, and writes results.md,
// results.json and PNG charts. The suite's scenarios: startup, controlplane, coldstart, warm, scale, steady,
// queues, density, provisioned (the default: all of them); invoke and runtimes (the earlier invoke measurements
// with the test runtimes and at 128 MB) run when named.
var quick = args.Contains("--quick");
string[] suiteScenarios = ["startup", "controlplane", "coldstart", "warm", "scale", "steady", "queues", "density", "provisioned"];
var scenarios = ArgValue("--scenarios")?.Split(',') ?? suiteScenarios;
var scales = ArgValue("--scale")?.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() ?? (quick ? [10] : [100, 200, 500]);
var repositoryRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
var binary = ArgValue("--server") ?? Path.Combine(repositoryRoot, "artifacts", "server", "kindling");
var started = DateTime.UtcNow;
var output = ArgValue("--out") ?? Path.Combine(repositoryRoot, "bench", "results", started.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
Directory.CreateDirectory(output);
var unknown = scenarios.Except([.. suiteScenarios, "invoke", "runtimes"]).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"unknown scenario(s): {string.Join(", ", unknown)}; known: {string.Join(", ", suiteScenarios)}, invoke, runtimes");
    return 2;
}

var features = await ServerFeatures.DetectAsync(binary, CancellationToken.None);
var machine = MachineInfo.Collect(repositoryRoot);
var suite = new SuiteContext(repositoryRoot, binary, quick, features);
Console.Error.WriteLine($"Machine: {machine.Describe()}");
Console.Error.WriteLine($"Server: {binary} {string.Join(' ', features.Arguments)}");
var sections = new List<Section>();

if (scenarios.Contains("startup"))
{
    var startups = new List<double>();
    Console.Error.WriteLine("Server start-up (process start → ready line) × 5…");
    for (var i = 0; i < 5; i++)
    {
        await using var probe = await suite.StartServerAsync(CancellationToken.None);
        startups.Add(probe.Startup.TotalMilliseconds);
    }

    startups.Sort();
    Console.Error.WriteLine($"  median {startups[2]:F0} ms (min {startups[0]:F0}, max {startups[4]:F0})");
    sections.Add(new("Server start-up", string.Create(CultureInfo.InvariantCulture,
        $"Process start to the ready line, median of 5: **{startups[2]:F0} ms** (min {startups[0]:F0}, max {startups[4]:F0})."), []));
}

if (scenarios.Contains("controlplane"))
{
    Console.Error.WriteLine("Control plane:");
    await using var server = await suite.StartServerAsync(CancellationToken.None);
    sections.Add(new("Control plane", null, await new ControlPlaneScenario(server, quick).RunAsync(CancellationToken.None)));
}

if (scenarios.Contains("coldstart"))
{
    Console.Error.WriteLine("Cold start per runtime:");
    sections.Add(await new ColdStartScenario(suite).RunAsync(CancellationToken.None));
}

if (scenarios.Contains("warm"))
{
    Console.Error.WriteLine("Warm invoke, the peer and the floor:");
    sections.Add(await new WarmScenario(suite).RunAsync(CancellationToken.None));
}

if (scenarios.Contains("scale"))
{
    Console.Error.WriteLine("Burst scale-up:");
    sections.Add(await new ScaleScenario(suite, scales).RunAsync(CancellationToken.None));
}

if (scenarios.Contains("steady"))
{
    Console.Error.WriteLine("Cold-start rate under steady load:");
    sections.Add(await new SteadyScenario(suite).RunAsync(CancellationToken.None));
}

if (scenarios.Contains("invoke"))
{
    Console.Error.WriteLine("Invoke (test runtimes):");
    await using var server = await suite.StartServerAsync(CancellationToken.None);
    sections.Add(new("Invoke (test runtimes)", "Client-measured over keep-alive HTTP with SigV4, through the whole stack and a real sandbox.",
        await new InvokeScenario(server, quick, repositoryRoot).RunAsync(CancellationToken.None)));
}

if (scenarios.Contains("runtimes"))
{
    Console.Error.WriteLine("Managed runtimes at 128 and 1,024 MB:");
    await using var server = await suite.StartServerAsync(CancellationToken.None);
    sections.Add(new("Managed runtimes at 128 and 1,024 MB", "Hello world (echo) through Kindling's runtime interface clients. AWS Lambda's published Init Durations "
        + "(hello world, 512 MB, maxday/lambda-perf 2026-08): Python 3.12 82 ms, Node 22 138 ms, .NET 10 240 ms (+~170 ms JIT on the first invoke), .NET 10 AOT 72 ms.",
        await new RuntimesScenario(server, quick, repositoryRoot).RunAsync(CancellationToken.None)));
}

if (scenarios.Contains("queues"))
{
    Console.Error.WriteLine("Queues and asynchronous invocation:");
    await using var server = await suite.StartServerAsync(CancellationToken.None);
    sections.Add(new("Queues and asynchronous invocation", "The SQS-compatible API over AWS JSON 1.0 (SigV4 service sqs), and Event invokes of a python3.11 echo function (1,024 MB).",
        await new QueuesScenario(server, quick).RunAsync(CancellationToken.None)));
}

if (scenarios.Contains("density"))
{
    Console.Error.WriteLine("Density:");
    sections.Add(await new DensityScenario(suite).RunAsync(CancellationToken.None));
}

if (scenarios.Contains("provisioned"))
{
    Console.Error.WriteLine("First invoke on a provisioned environment:");
    sections.Add(await new ProvisionedScenario(suite).RunAsync(CancellationToken.None));
}

var configuration = new Dictionary<string, object>(suite.Configuration)
{
    ["quick"] = quick,
    ["scenarios"] = scenarios,
    ["server"] = binary,
    ["serverArguments"] = features.Arguments,
    ["serverOptions"] = new { features.MemoryBudget, features.ConcurrencyLimit, features.ScalingRate },
    ["environmentsMemoryBudgetBytes"] = features.EffectiveBudgetBytes,
};
var subtitle = string.Create(CultureInfo.InvariantCulture,
    $"{started:yyyy-MM-dd HH:mm} UTC, {machine.Cores} cores, {machine.MemoryBytesTotal / (1024.0 * 1024 * 1024):F0} GiB, commit {machine.GitCommit[..Math.Min(10, machine.GitCommit.Length)]}{(quick ? ", quick mode" : "")}");
var charts = Charts.Write(suite.Charts, output, subtitle);

var markdown = new StringBuilder();
markdown.AppendLine(CultureInfo.InvariantCulture, $"# Kindling benchmarks ({started:yyyy-MM-dd HH:mm} UTC{(quick ? ", quick mode" : "")})").AppendLine();
markdown.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine.Describe()}.").AppendLine();
markdown.AppendLine($"Server: `{string.Join(' ', ["kindling server", .. features.Arguments])}`"
    + (features.MemoryBudget
        ? string.Create(CultureInfo.InvariantCulture, $" — the environments' memory budget is overcommitted on purpose ({ServerFeatures.MemoryBudgetBytes >> 30} GiB on a {machine.MemoryBytesTotal / (1024.0 * 1024 * 1024):F0} GiB host), so that 500 × 128 MB and 64 × 1,024 MB environments are admitted; their real use is far smaller (see Density).")
        : string.Create(CultureInfo.InvariantCulture, $" — this server has no --memory-budget option: the environments' budget is physical memory less 1 GiB ({features.EffectiveBudgetBytes >> 20} MiB)."))).AppendLine();
if (quick)
{
    markdown.AppendLine("Quick mode: a few samples per scenario, to prove the suite works end to end; the numbers are not measurements.").AppendLine();
}

if (suite.Key.Count > 0)
{
    markdown.AppendLine("## Against the budgets").AppendLine().Append(Budgets.Table(suite.Key)).AppendLine();
}

if (charts.Count > 0)
{
    markdown.AppendLine("## Charts").AppendLine();
    foreach (var chart in charts)
    {
        markdown.AppendLine(CultureInfo.InvariantCulture, $"![{chart}]({chart})").AppendLine();
    }
}

foreach (var (title, note, results) in sections)
{
    markdown.AppendLine(CultureInfo.InvariantCulture, $"## {title}").AppendLine();
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

    markdown.AppendLine();
}

File.WriteAllText(Path.Combine(output, "results.md"), markdown.ToString().TrimEnd() + "\n");
var json = new
{
    Started = started,
    Quick = quick,
    Machine = machine,
    Configuration = configuration,
    Key = suite.Key,
    Sections = sections,
    Charts = new
    {
        WarmLatency = suite.Charts.WarmLatency.Select(s => new { s.Label, Samples = Distribution.Of(s.Samples) }),
        ColdLatency = suite.Charts.ColdLatency.Select(s => new { s.Label, Samples = Distribution.Of(s.Samples) }),
        Throughput = suite.Charts.Throughput.Select(t => new { t.Target, t.Connections, t.OpsPerSecond }),
        ScaleUp = suite.Charts.ScaleUp.Select(s => new { s.Label, Points = s.Points.Select(p => new { p.Seconds, p.Environments }) }),
    },
};
File.WriteAllText(Path.Combine(output, "results.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions
{
    WriteIndented = true,
    NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
}));
Console.WriteLine(markdown);
Console.Error.WriteLine($"Results written to {output}: results.md, results.json{string.Concat(charts.Select(c => ", " + c))}");
return 0;

string? ArgValue(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
