namespace Kindling.Bench;

/// <summary>What the scenarios measured that the charts draw; written to results.json as well.</summary>
internal sealed class ChartData
{
    /// <summary>Warm invoke latencies (ms) per target: each Kindling runtime, the peer and the floor.</summary>
    public List<(string Label, IReadOnlyList<double> Samples)> WarmLatency { get; } = [];

    /// <summary>Cold start latencies (ms, client-measured) per runtime.</summary>
    public List<(string Label, IReadOnlyList<double> Samples)> ColdLatency { get; } = [];

    /// <summary>Invokes per second per target and number of connections.</summary>
    public List<(string Target, int Connections, double OpsPerSecond)> Throughput { get; } = [];

    /// <summary>Environments that had started their invocation, against seconds since the burst began, per runtime and N.</summary>
    public List<(string Label, IReadOnlyList<(double Seconds, int Environments)> Points)> ScaleUp { get; } = [];
}
