using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Kindling.Bench;

/// <summary>
/// The managed runtimes with Kindling's runtime interface clients: a hello-world (echo) handler per runtime at 128 MB
/// and 1,024 MB. Cold start = a new environment → first response, client-measured, with the platform's own Init
/// Duration (REPORT line) beside it; warm = sequential invokes on one connection. A runtime the server does not
/// offer is skipped.
/// </summary>
internal sealed partial class RuntimesScenario(ServerProcess server, bool quick, string repositoryRoot)
{
    private readonly LambdaClient _client = new(server.Endpoint);

    public async Task<IReadOnlyList<BenchResult>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<BenchResult>();
        var payload = "{\"hello\":\"world\"}"u8.ToArray();
        foreach (var (runtime, zip, handler) in Functions())
        {
            foreach (var memory in new[] { 128, 1024 })
            {
                var function = $"bench-{runtime.Replace('.', '-')}-{memory}";
                try
                {
                    await _client.CreateFunctionAsync(function, zip, memory, handler, cancellationToken, runtime);
                }
                catch (InvalidOperationException exception) when (exception.Message.Contains("InvalidParameterValueException", StringComparison.Ordinal))
                {
                    Console.Error.WriteLine($"  {runtime}: not offered by this server, skipped");
                    break;
                }

                await _client.WaitSettledAsync(function, cancellationToken);
                var colds = quick ? 3 : 50;
                Console.Error.WriteLine($"  {runtime} ({memory} MB): cold starts × {colds}…");
                var cold = new LatencyRecorder();
                var init = new LatencyRecorder();
                for (var i = 0; i < colds; i++)
                {
                    await _client.TouchConfigurationAsync(function, i, cancellationToken);
                    var started = Stopwatch.GetTimestamp();
                    var log = await _client.InvokeWithLogAsync(function, payload, cancellationToken);
                    cold.Record(Stopwatch.GetElapsedTime(started));
                    if (InitDuration().Match(log) is { Success: true } match)
                    {
                        init.Record(TimeSpan.FromMilliseconds(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)));
                    }
                }

                results.Add(Result($"cold start, {runtime} ({memory} MB), client", cold, TimeSpan.Zero));
                results.Add(Result($"cold start, {runtime} ({memory} MB), Init Duration", init, TimeSpan.Zero));
                var warms = quick ? 50 : 1000;
                Console.Error.WriteLine($"  {runtime} ({memory} MB): warm invokes × {warms}…");
                var (warm, wall) = await LatencyRecorder.SequentialAsync(warms, () => _client.InvokeAsync(function, payload, cancellationToken));
                results.Add(Result($"warm invoke, {runtime} ({memory} MB)", warm, wall));
            }
        }

        return results;
    }

    private IEnumerable<(string Runtime, byte[] Zip, string Handler)> Functions()
    {
        yield return ("python3.11", ZipText(new() { ["app.py"] = "def handler(event, context):\n    return event\n" }), "app.handler");
        yield return ("nodejs20.x", ZipText(new() { ["index.js"] = "exports.handler = async (event) => event;\n" }), "index.handler");
        var dotnet = Path.Combine(repositoryRoot, "artifacts", "test-bootstraps", "conformance-dotnet");
        if (Directory.Exists(dotnet))
        {
            var files = Directory.EnumerateFiles(dotnet, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(dotnet, f), File.ReadAllBytes);
            yield return ("dotnet10", Zip(files), "Conformance::Conformance.Functions::Echo");
        }
        else
        {
            Console.Error.WriteLine("  dotnet10: artifacts/test-bootstraps/conformance-dotnet missing (./kindling test builds it), skipped");
        }
    }

    private static BenchResult Result(string name, LatencyRecorder recorder, TimeSpan wall) =>
        BenchResult.From(name, recorder, wall, 1);

    private static byte[] ZipText(Dictionary<string, string> files) =>
        Zip(files.ToDictionary(f => f.Key, f => Encoding.UTF8.GetBytes(f.Value)));

    private static byte[] Zip(Dictionary<string, byte[]> files)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                var entry = archive.CreateEntry(name);
                entry.ExternalAttributes = 0b110_100_100 << 16 | (0x8000 << 16);
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    [GeneratedRegex(@"Init Duration: (\d+\.\d+) ms")]
    private static partial Regex InitDuration();
}
