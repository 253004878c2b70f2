namespace Kindling.Bench;

/// <summary>Percentiles of a set of samples (milliseconds), with the samples themselves or, past 2,000, 1,000 evenly spaced quantiles.</summary>
internal sealed record Distribution(double Min, double Mean, double P50, double P90, double P99, double P999, double Max, bool SamplesAreQuantiles, IReadOnlyList<double> Samples)
{
    private const int MaxStoredSamples = 2_000;
    private const int Quantiles = 1_000;

    public static Distribution Of(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0)
        {
            return new Distribution(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, false, []);
        }

        var sorted = samples.Order().ToArray();
        var stored = sorted.Length <= MaxStoredSamples
            ? samples
            : [.. Enumerable.Range(0, Quantiles).Select(i => sorted[(int)((long)i * (sorted.Length - 1) / (Quantiles - 1))])];
        return new Distribution(sorted[0], sorted.Average(), Percentile(sorted, 50), Percentile(sorted, 90), Percentile(sorted, 99),
            Percentile(sorted, 99.9), sorted[^1], sorted.Length > MaxStoredSamples, stored);
    }

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
