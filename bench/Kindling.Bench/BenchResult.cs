namespace Kindling.Bench;

/// <summary>
/// One measured operation. The summary columns go in results.md; <see cref="Distribution"/> (percentiles and the
/// samples, or evenly spaced quantiles of them when there are many) goes in results.json only.
/// </summary>
internal sealed record BenchResult(string Operation, int Count, int Connections, double OpsPerSecond, double P50Milliseconds, double P99Milliseconds)
{
    public Distribution? Distribution { get; init; }

    /// <summary>A latency result from <paramref name="recorder"/>; a rate when <paramref name="wall"/> is not zero.</summary>
    public static BenchResult From(string operation, LatencyRecorder recorder, TimeSpan wall, int connections)
    {
        var rate = wall > TimeSpan.Zero ? recorder.Count / wall.TotalSeconds : double.NaN;
        var distribution = Distribution.Of(recorder.SamplesMilliseconds());
        Console.Error.WriteLine(System.FormattableString.Invariant(
            $"    {operation}: p50 {distribution.P50:F2} ms, p99 {distribution.P99:F2} ms{(wall > TimeSpan.Zero ? $", {rate:F0}/s" : "")} (n={recorder.Count})"));
        return new BenchResult(operation, recorder.Count, connections, rate, distribution.P50, distribution.P99) { Distribution = distribution };
    }

    /// <summary>A single value (not a latency), shown in the p50 and p99 columns.</summary>
    public static BenchResult Value(string operation, int count, double value) => new(operation, count, 0, double.NaN, value, value);
}
