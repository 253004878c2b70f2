using Kindling.Worker.Logs;

namespace Kindling.Worker.Tests.Logs;

public sealed class PlatformLinesTests
{
    [Fact]
    public void Report_ColdStart_EndsWithInitDuration()
    {
        var line = PlatformLines.Report("id", 3.011, 128, 36, 110.1, null, null);

        Assert.Equal("REPORT RequestId: id\tDuration: 3.01 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 36 MB\tInit Duration: 110.10 ms\t", line);
    }

    [Fact]
    public void Report_Warm_HasNoInitDuration()
    {
        Assert.Equal(
            "REPORT RequestId: id\tDuration: 0.45 ms\tBilled Duration: 1 ms\tMemory Size: 256 MB\tMax Memory Used: 3 MB\t",
            PlatformLines.Report("id", 0.45, 256, 3, null, null, null));
    }

    [Fact]
    public void Report_PlatformError_AddsStatusAndErrorType()
    {
        Assert.Equal(
            "REPORT RequestId: id\tDuration: 5.00 ms\tBilled Duration: 5 ms\tMemory Size: 128 MB\tMax Memory Used: 3 MB\tStatus: error\tError Type: Runtime.ExitError\t",
            PlatformLines.Report("id", 5, 128, 3, null, "error", "Runtime.ExitError"));
    }

    [Fact]
    public void InitReport_Timeout_IsTabSeparated()
    {
        Assert.Equal("INIT_REPORT Init Duration: 10000.12 ms\tPhase: init\tStatus: timeout", PlatformLines.InitReport(10000.123, "init", "timeout", null));
    }

    [Fact]
    public void TimedOut_Line_HasTimestampRequestIdAndSeconds()
    {
        Assert.Equal(
            "2025-01-02T03:04:05.678Z id Task timed out after 3.00 seconds",
            PlatformLines.TimedOut(new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), "id", 3));
    }

    [Theory]
    [InlineData("provided.al2023", "provided:al2023.v1")]
    [InlineData("provided", "provided:al1.v1")]
    [InlineData("python3.12", "python:3.12.v1")]
    [InlineData("nodejs20.x", "nodejs:20.v1")]
    [InlineData("dotnet8", "dotnet:8.v1")]
    public void RuntimeVersion_Runtime_IsLambdasStyle(string runtime, string expected)
    {
        Assert.Equal(expected, PlatformLines.RuntimeVersion(runtime));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(1024 * 1024, 1)]
    [InlineData((1024 * 1024) + 1, 2)]
    public void Megabytes_Bytes_RoundsUp(long bytes, long expected)
    {
        Assert.Equal(expected, PlatformLines.Megabytes(bytes));
    }
}
