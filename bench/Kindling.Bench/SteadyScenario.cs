using System.Globalization;
using System.Net;

namespace Kindling.Bench;

/// <summary>
/// Cold-start rate under steady load: a fixed number of connections invoking a python3.11 echo function back to
/// back, from no environment at all, every invoke with <c>LogType: Tail</c>; a REPORT line with Init Duration is a
/// cold start. AWS documents under 1% of invocations as cold starts in steady state.
/// </summary>
internal sealed class SteadyScenario(SuiteContext suite)
{
    private const int Memory = 1024;

    public async Task<Section> RunAsync(CancellationToken cancellationToken)
    {
        var connections = suite.Quick ? 4 : 16;
        var duration = TimeSpan.FromSeconds(suite.Quick ? 3 : 20);
        suite.Configuration["steady"] = new { Memory, Connections = connections, DurationSeconds = duration.TotalSeconds };
        await using var server = await suite.StartServerAsync(cancellationToken);
        var client = new LambdaClient(server.Endpoint);
        var package = FunctionCode.PythonEcho();
        await client.CreateFunctionAsync("steady-python", package.Zip, Memory, package.Handler, cancellationToken, package.Runtime);
        await client.WaitSettledAsync("steady-python", cancellationToken);
        Console.Error.WriteLine($"  python3.11: {connections} connections for {duration.TotalSeconds:F0} s…");
        var payload = "{\"hello\":\"world\"}"u8.ToArray();
        var colds = 0;
        var coldsAfterFirstSecond = 0;
        var afterFirstSecond = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcome = await ClosedLoad.RunAsync(connections, TimeSpan.Zero, duration, async () =>
        {
            var (status, _, log) = await client.InvokeRawAsync("steady-python", payload, true, cancellationToken);
            var cold = ReportLine.Parse(log)?.InitDurationMilliseconds is not null;
            var late = clock.Elapsed > TimeSpan.FromSeconds(1);
            Interlocked.Add(ref colds, cold ? 1 : 0);
            Interlocked.Add(ref afterFirstSecond, late ? 1 : 0);
            Interlocked.Add(ref coldsAfterFirstSecond, cold && late ? 1 : 0);
            return status == HttpStatusCode.OK;
        });
        var result = BenchResult.From($"python3.11, steady load, {colds} cold of {outcome.Recorder.Count + outcome.Failures}", outcome.Recorder, outcome.Wall, connections);
        var rate = 100.0 * colds / Math.Max(1, outcome.Recorder.Count + outcome.Failures);
        var lateRate = 100.0 * coldsAfterFirstSecond / Math.Max(1, afterFirstSecond);
        suite.Key["cold-start rate under steady load %"] = rate;
        return new Section("Cold-start rate under steady load", string.Create(CultureInfo.InvariantCulture,
            $"{connections} connections invoking a python3.11 echo ({Memory} MB) back to back for {duration.TotalSeconds:F0} s from no environment: "
            + $"**{colds} cold starts in {outcome.Recorder.Count + outcome.Failures} invocations ({rate:F2}%)**, {coldsAfterFirstSecond} of {afterFirstSecond} after the first second ({lateRate:F2}%); "
            + $"{outcome.Failures} refused. AWS Lambda: under 1% in steady state."), [result]);
    }
}
