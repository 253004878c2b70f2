using System.Globalization;
using ScottPlot;

namespace Kindling.Bench;

/// <summary>Draws the suite's PNG charts with ScottPlot (SkiaSharp): latency CDFs, throughput against connections, scale-up over time.</summary>
internal static class Charts
{
    private const int Width = 1000;
    private const int Height = 600;

    /// <summary>Writes every chart that has data into <paramref name="directory"/>; returns the file names.</summary>
    public static IReadOnlyList<string> Write(ChartData data, string directory, string subtitle)
    {
        var written = new List<string>();
        if (data.WarmLatency.Count > 0)
        {
            written.Add(Cdf(data.WarmLatency, directory, "warm-latency-cdf.png", "Warm invoke latency, 1 connection (client-measured)", subtitle));
        }

        if (data.ColdLatency.Count > 0)
        {
            written.Add(Cdf(data.ColdLatency, directory, "cold-start-cdf.png", "Cold start: create environment → first response (client-measured)", subtitle));
        }

        if (data.Throughput.Count > 0)
        {
            written.Add(Throughput(data.Throughput, directory, subtitle));
        }

        if (data.ScaleUp.Count > 0)
        {
            written.Add(ScaleUp(data.ScaleUp, directory, subtitle));
        }

        return written;
    }

    /// <summary>Cumulative distribution on a log10 latency axis: the percent of invokes at or below each latency.</summary>
    private static string Cdf(List<(string Label, IReadOnlyList<double> Samples)> series, string directory, string file, string title, string subtitle)
    {
        var plot = new Plot();
        foreach (var (label, samples) in series.Where(s => s.Samples.Count > 0))
        {
            var sorted = samples.Select(s => Math.Max(s, 0.001)).Order().ToArray();
            var xs = sorted.Select(Math.Log10).ToArray();
            var ys = sorted.Select((_, i) => 100.0 * (i + 1) / sorted.Length).ToArray();
            var line = plot.Add.ScatterLine(xs, ys);
            line.LineWidth = 2;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{label} (p50 {Distribution.Percentile(sorted, 50):F2} ms, p99 {Distribution.Percentile(sorted, 99):F2} ms)");
        }

        var all = series.SelectMany(s => s.Samples).Where(v => v > 0).ToArray();
        if (all.Length > 0)
        {
            var ticks = LogTicks(all.Min(), all.Max());
            plot.Axes.Bottom.SetTicks([.. ticks.Select(Math.Log10)], [.. ticks.Select(t => t.ToString("0.###", CultureInfo.InvariantCulture))]);
        }

        plot.Axes.Left.SetTicks([0, 25, 50, 75, 90, 99], ["0", "25", "50", "75", "90", "99"]);
        plot.Axes.SetLimitsY(0, 101);
        Label(plot, title, subtitle, "latency, ms (log scale)", "percent of invokes at or below");
        plot.ShowLegend(Alignment.LowerRight);
        return Save(plot, directory, file);
    }

    /// <summary>1-2-5 steps from below <paramref name="min"/> to above <paramref name="max"/>, for a log10 axis.</summary>
    private static List<double> LogTicks(double min, double max)
    {
        var ticks = new List<double>();
        for (var decade = Math.Pow(10, Math.Floor(Math.Log10(min))); decade <= max * 10; decade *= 10)
        {
            ticks.AddRange(new[] { 1, 2, 5 }.Select(step => step * decade).Where(t => t >= min / 2 && t <= max * 2));
        }

        return ticks;
    }

    private static string Throughput(List<(string Target, int Connections, double OpsPerSecond)> points, string directory, string subtitle)
    {
        var plot = new Plot();
        var connections = points.Select(p => p.Connections).Distinct().Order().ToArray();
        var targets = points.Select(p => p.Target).Distinct().ToArray();
        var palette = new ScottPlot.Palettes.Category10();
        var legend = new List<LegendItem>();
        for (var t = 0; t < targets.Length; t++)
        {
            var color = palette.GetColor(t);
            foreach (var (target, count, rate) in points.Where(p => p.Target == targets[t]))
            {
                var position = Array.IndexOf(connections, count) * (targets.Length + 1) + t;
                var bar = plot.Add.Bar(position, rate);
                bar.Color = color;
                bar.Bars[0].Label = rate.ToString("F0", CultureInfo.InvariantCulture);
            }

            legend.Add(new LegendItem { LabelText = targets[t], FillColor = color });
        }

        plot.Axes.Bottom.SetTicks(
            [.. connections.Select((_, i) => i * (targets.Length + 1) + (targets.Length - 1) / 2.0)],
            [.. connections.Select(c => c.ToString(CultureInfo.InvariantCulture) + (c == 1 ? " connection" : " connections"))]);
        plot.Axes.Margins(bottom: 0);
        Label(plot, "Throughput against connections (Node.js echo handler, closed loop, keep-alive)", subtitle, "concurrent connections", "invokes per second");
        plot.ShowLegend(legend, Alignment.UpperLeft);
        return Save(plot, directory, "throughput.png");
    }

    private static string ScaleUp(List<(string Label, IReadOnlyList<(double Seconds, int Environments)> Points)> series, string directory, string subtitle)
    {
        var plot = new Plot();
        foreach (var (label, points) in series)
        {
            var line = plot.Add.ScatterLine(points.Select(p => p.Seconds).ToArray(), points.Select(p => (double)p.Environments).ToArray());
            line.LineWidth = 2;
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LegendText = points.Count > 1
                ? string.Create(CultureInfo.InvariantCulture, $"{label}: {points[^1].Environments} in {points[^1].Seconds:F2} s")
                : $"{label}: none started";
        }

        Label(plot, "Burst scale-up: environments running against time since the burst was sent", subtitle, "seconds since the burst was sent", "environments that had started the invocation");
        plot.ShowLegend(Alignment.LowerRight);
        return Save(plot, directory, "scale-up.png");
    }

    private static void Label(Plot plot, string title, string subtitle, string x, string y)
    {
        plot.Title(title + "\n" + subtitle, size: 15);
        plot.XLabel(x, size: 14);
        plot.YLabel(y, size: 14);
    }

    private static string Save(Plot plot, string directory, string file)
    {
        plot.SavePng(Path.Combine(directory, file), Width, Height);
        return file;
    }
}
