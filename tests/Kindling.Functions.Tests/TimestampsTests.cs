namespace Kindling.Functions.Tests;

public sealed class TimestampsTests
{
    [Fact]
    public void Format_UtcTime_UsesLambdaLastModifiedForm()
    {
        var time = new DateTimeOffset(2020, 4, 10, 19, 6, 32, 563, TimeSpan.Zero);

        Assert.Equal("2020-04-10T19:06:32.563+0000", Timestamps.Format(time));
    }

    [Fact]
    public void Format_OffsetTime_ConvertsToUtc()
    {
        var time = new DateTimeOffset(2020, 4, 10, 21, 6, 32, 563, TimeSpan.FromHours(2));

        Assert.Equal("2020-04-10T19:06:32.563+0000", Timestamps.Format(time));
    }

    [Fact]
    public void Format_SubMillisecond_Truncates()
    {
        var time = new DateTimeOffset(2020, 4, 10, 19, 6, 32, 563, TimeSpan.Zero).AddTicks(9_999);

        Assert.Equal("2020-04-10T19:06:32.563+0000", Timestamps.Format(time));
    }

    [Fact]
    public void Format_WholeSecond_KeepsThreeDigits()
    {
        var time = new DateTimeOffset(2021, 1, 2, 3, 4, 5, TimeSpan.Zero);

        Assert.Equal("2021-01-02T03:04:05.000+0000", Timestamps.Format(time));
    }

    [Fact]
    public void Epoch_Time_ReturnsSecondsWithMilliseconds()
    {
        var time = new DateTimeOffset(2020, 4, 10, 19, 6, 32, 563, TimeSpan.Zero);

        Assert.Equal(1586545592.563, Timestamps.Epoch(time));
    }

    [Fact]
    public void Epoch_UnixEpoch_ReturnsZero()
    {
        Assert.Equal(0.0, Timestamps.Epoch(DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Epoch_SubMillisecond_Truncates()
    {
        var time = DateTimeOffset.UnixEpoch.AddMilliseconds(1500).AddTicks(9_999);

        Assert.Equal(1.5, Timestamps.Epoch(time));
    }
}
