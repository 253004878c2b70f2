using Kindling.Runtime.Dotnet.Logging;

namespace Kindling.Runtime.Dotnet.Tests;

public sealed class LogFormatTests
{
    [Fact]
    public void JsonFormat_TemplateAndException_AwsFieldOrder()
    {
        var time = new DateTime(2026, 11, 22, 19, 14, 49, 968, DateTimeKind.Utc);
        var line = JsonLogFormatter.Format(time, LogLevel.Error, "req-1", "Root=1-abc", "failed {step} after {ms}",
            ["checkout", 12], new InvalidOperationException("bad"));
        Assert.StartsWith(
            "{\"timestamp\":\"2026-11-22T19:14:49.968Z\",\"level\":\"Error\",\"requestId\":\"req-1\",\"traceId\":\"Root=1-abc\"," +
            "\"message\":\"failed checkout after 12\",\"step\":\"checkout\",\"ms\":12,\"errorType\":\"System.InvalidOperationException\"," +
            "\"errorMessage\":\"bad\",\"stackTrace\":[\"System.InvalidOperationException: bad\"]}", line);
    }

    [Fact]
    public void TextFormat_BelowMinimumLevel_Dropped()
    {
        var output = new StringWriter();
        var sink = new LogSink(output, LogFormat.Text, LogLevel.Warning) { RequestId = "req-1" };
        sink.WriteLine("Information", null, "dropped", null);
        sink.WriteLine("Warning", null, "kept", null);
        sink.WriteLine(null, null, "no level", null);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\treq-1\twarn\tkept$", lines[0]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\treq-1\tno level$", lines[1]);
    }

    [Theory]
    [InlineData("WARN", "Warning")]
    [InlineData("info", "Information")]
    [InlineData("FATAL", "Critical")]
    [InlineData("Debug", "Debug")]
    [InlineData("nonsense", null)]
    public void ParseLevel_LambdaAndDotnetNames(string text, string? expected) => Assert.Equal(expected, LogSink.ParseLevel(text)?.ToString());

    [Fact]
    public void ConsoleWriter_WriteLineFormattedWritePassesThrough()
    {
        var output = new StringWriter();
        var sink = new LogSink(output, LogFormat.Text, LogLevel.Information) { RequestId = "r" };
        using var writer = new LevelTextWriter(sink, "Error");
        writer.Write("raw ");
        writer.WriteLine(42);
        Assert.Matches(@"^raw \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\tr\tfail\t42\r?\n$", output.ToString());
    }
}
