namespace Kindling.Bench;

/// <summary>One measured operation.</summary>
internal sealed record BenchResult(string Operation, int Count, int Connections, double OpsPerSecond, double P50Milliseconds, double P99Milliseconds);
