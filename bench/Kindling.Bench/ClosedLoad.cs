using System.Diagnostics;

namespace Kindling.Bench;

/// <summary>
/// Closed-loop load: <c>connections</c> workers each send one request, wait for the answer, and send the next. A
/// warm-up runs first and is not recorded: three rounds of one request per connection at once (so a platform has
/// started an environment per connection), then a period of the same load.
/// </summary>
internal static class ClosedLoad
{
    /// <summary>The outcome: latencies of the successful operations, the measured wall time, and failures.</summary>
    internal sealed record Outcome(LatencyRecorder Recorder, TimeSpan Wall, int Failures);

    /// <param name="connections">Concurrent workers, each on its own keep-alive connection.</param>
    /// <param name="warmUp">Load before the measurement, not recorded.</param>
    /// <param name="duration">The measured period.</param>
    /// <param name="operation">One request; false when the target refused it (counted, not timed).</param>
    public static async Task<Outcome> RunAsync(int connections, TimeSpan warmUp, TimeSpan duration, Func<Task<bool>> operation)
    {
        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => operation()));
        }

        await RunPhaseAsync(connections, warmUp, operation, null);
        var recorder = new LatencyRecorder();
        var wall = Stopwatch.StartNew();
        var failures = await RunPhaseAsync(connections, duration, operation, recorder);
        return new Outcome(recorder, wall.Elapsed, failures);
    }

    private static async Task<int> RunPhaseAsync(int connections, TimeSpan duration, Func<Task<bool>> operation, LatencyRecorder? recorder)
    {
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                if (await operation())
                {
                    recorder?.Record(Stopwatch.GetElapsedTime(started));
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        return failures;
    }
}
