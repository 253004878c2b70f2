namespace Kindling.Bench;

/// <summary>Collects per-operation latencies (microsecond resolution) and summarizes them.</summary>
internal sealed class LatencyRecorder
{
    private readonly List<double> _microseconds = [];
    private readonly Lock _gate = new();

    public void Record(TimeSpan elapsed)
    {
        lock (_gate)
        {
            _microseconds.Add(elapsed.TotalMicroseconds);
        }
    }

    public int Count => _microseconds.Count;

    /// <summary>A copy of the samples in milliseconds, in the order recorded.</summary>
    public IReadOnlyList<double> SamplesMilliseconds()
    {
        lock (_gate)
        {
            return [.. _microseconds.Select(us => us / 1000)];
        }
    }

    /// <summary>Runs <paramref name="operation"/> <paramref name="count"/> times one after another, timing each.</summary>
    public static async Task<(LatencyRecorder Recorder, TimeSpan Wall)> SequentialAsync(int count, Func<Task> operation)
    {
        var recorder = new LatencyRecorder();
        var wall = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await operation();
            recorder.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }

        return (recorder, wall.Elapsed);
    }
}
