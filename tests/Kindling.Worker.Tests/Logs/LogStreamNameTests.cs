using Kindling.Worker.Logs;

namespace Kindling.Worker.Tests.Logs;

public sealed class LogStreamNameTests
{
    [Fact]
    public void Create_Latest_IsLambdasFormat()
    {
        var name = LogStreamName.Create(new DateTimeOffset(2025, 11, 2, 23, 59, 0, TimeSpan.FromHours(-2)), "$LATEST", "0123456789abcdef0123456789abcdef");

        Assert.Equal("2025/11/03/[$LATEST]0123456789abcdef0123456789abcdef", name);
    }

    [Fact]
    public void ToFileName_StreamName_ReplacesDateSlashes()
    {
        Assert.Equal("2025-11-03-[7]abc.log", LogStreamName.ToFileName("2025/11/03/[7]abc"));
    }

    [Fact]
    public void FromFileName_FileName_RoundTrips()
    {
        const string Name = "2025/11/03/[$LATEST]0123456789abcdef0123456789abcdef";

        Assert.Equal(Name, LogStreamName.FromFileName(LogStreamName.ToFileName(Name)!));
    }

    [Theory]
    [InlineData("2025/11/03/[$LATEST]a/../../x")]
    [InlineData("../../../etc/passwd")]
    [InlineData("2025/11/03/x")]
    [InlineData("2025/11/0a/[1]x")]
    public void ToFileName_NotAStreamName_ReturnsNull(string name)
    {
        Assert.Null(LogStreamName.ToFileName(name));
    }

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("2025-11-03-[1]x.txt")]
    public void FromFileName_OtherFile_ReturnsNull(string file)
    {
        Assert.Null(LogStreamName.FromFileName(file));
    }
}
