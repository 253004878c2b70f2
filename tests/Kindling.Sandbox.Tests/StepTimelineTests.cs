using System.Text.RegularExpressions;

namespace Kindling.Sandbox.Tests;

public sealed partial class StepTimelineTests
{
    [Fact]
    public void ToString_EachStepsOwnDuration_InOrder()
    {
        var timeline = new StepTimeline();
        timeline.Mark("first");
        var spin = System.Diagnostics.Stopwatch.StartNew();
        while (spin.Elapsed < TimeSpan.FromMilliseconds(2))
        {
        }

        timeline.Mark("second");

        var match = Format().Match(timeline.ToString());
        Assert.True(match.Success, timeline.ToString());
        var first = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var second = double.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(second >= 2, timeline.ToString());
        Assert.InRange(timeline.TotalMilliseconds, first + second - 0.02, first + second + 0.02);
    }

    [Fact]
    public void Mark_TimestampBeforeThePreviousStep_TakesNoTime()
    {
        var timeline = new StepTimeline();
        var early = System.Diagnostics.Stopwatch.GetTimestamp();
        timeline.Mark("first");

        timeline.Mark("second", early);

        Assert.EndsWith(", second 0.00 ms", timeline.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_HasNoSteps()
    {
        var timeline = new StepTimeline();

        Assert.Equal("", timeline.ToString());
        Assert.Equal(0, timeline.TotalMilliseconds);
    }

    [GeneratedRegex(@"^first (\d+\.\d\d) ms, second (\d+\.\d\d) ms$")]
    private static partial Regex Format();
}
