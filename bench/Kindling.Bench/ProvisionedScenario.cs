using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Kindling.Bench;

/// <summary>
/// First invoke on a provisioned environment: publish a version, provision one environment, wait for READY, and time
/// the first invoke of that version (its REPORT line should have no Init Duration: the init ran beforehand). Skipped,
/// with the reason, on a server whose provisioned concurrency does not become READY.
/// </summary>
internal sealed class ProvisionedScenario(SuiteContext suite)
{
    private const int Memory = 1024;

    public async Task<Section> RunAsync(CancellationToken cancellationToken)
    {
        var rounds = suite.Quick ? 2 : 20;
        suite.Configuration["provisioned"] = new { Memory, Rounds = rounds };
        await using var server = await suite.StartServerAsync(cancellationToken);
        var client = new LambdaClient(server.Endpoint);
        var results = new List<BenchResult>();
        var payload = "{\"hello\":\"world\"}"u8.ToArray();
        foreach (var package in new[] { FunctionCode.PythonEcho(), suite.Code.NodeEcho() })
        {
            var function = "provisioned-" + package.Runtime.Replace('.', '-');
            await client.CreateFunctionAsync(function, package.Zip, Memory, package.Handler, cancellationToken, package.Runtime);
            await client.WaitSettledAsync(function, cancellationToken);
            Console.Error.WriteLine($"  {package.Label}: provisioned environment → first invoke × {rounds}…");
            var first = new LatencyRecorder();
            var withInit = 0;
            for (var i = 0; i < rounds; i++)
            {
                await client.TouchConfigurationAsync(function, i, cancellationToken);
                var version = await Provisioning.PublishVersionAsync(client, function, cancellationToken);
                if (await Provisioning.ProvisionAsync(client, function, version, 1, TimeSpan.FromSeconds(suite.Quick ? 5 : 30), cancellationToken) is { } why)
                {
                    Console.Error.WriteLine($"    {why}; skipped");
                    await Provisioning.TryDeleteAsync(client, function, version, cancellationToken);
                    return new Section("First invoke on a provisioned environment", $"Not measured: {why}.", results);
                }

                var started = Stopwatch.GetTimestamp();
                var (status, body, log) = await client.InvokeRawAsync(function, payload, true, cancellationToken, version);
                first.Record(Stopwatch.GetElapsedTime(started));
                if (status != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"invoke {function}:{version}: {(int)status} {body}");
                }

                withInit += ReportLine.Parse(log)?.InitDurationMilliseconds is null ? 0 : 1;
                await Provisioning.TryDeleteAsync(client, function, version, cancellationToken);
            }

            results.Add(BenchResult.From($"{package.Label}, first invoke on a provisioned environment ({withInit} with Init Duration)", first, TimeSpan.Zero, 1));
        }

        return new Section("First invoke on a provisioned environment", string.Create(CultureInfo.InvariantCulture,
            $"Per round: UpdateFunctionConfiguration, PublishVersion, PutProvisionedConcurrencyConfig 1, wait for READY, then one invoke of that version, client-measured ({Memory} MB)."), results);
    }
}
