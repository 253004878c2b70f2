using System.Globalization;
using System.Text.RegularExpressions;

namespace Kindling.Bench;

/// <summary>The durations of the platform's REPORT line in an invoke's log tail.</summary>
internal sealed partial record ReportLine(double DurationMilliseconds, double? InitDurationMilliseconds)
{
    public static ReportLine? Parse(string log)
    {
        var report = ReportPattern().Match(log);
        if (!report.Success)
        {
            return null;
        }

        var init = InitPattern().Match(report.Value);
        return new ReportLine(double.Parse(report.Groups[1].Value, CultureInfo.InvariantCulture),
            init.Success ? double.Parse(init.Groups[1].Value, CultureInfo.InvariantCulture) : null);
    }

    [GeneratedRegex(@"REPORT RequestId: \S+\tDuration: (\d+(?:\.\d+)?) ms[^\n]*")]
    private static partial Regex ReportPattern();

    [GeneratedRegex(@"Init Duration: (\d+(?:\.\d+)?) ms")]
    private static partial Regex InitPattern();
}
