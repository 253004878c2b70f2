using System.Text;
using Kindling.Worker.Logs;

namespace Kindling.Worker.Tests.Logs;

public sealed class TailBufferTests
{
    [Fact]
    public void ToString_UnderCapacity_ReturnsEverything()
    {
        var tail = new TailBuffer();
        tail.Append("hello\n"u8);
        tail.Append("world\n"u8);

        Assert.Equal("hello\nworld\n", tail.ToString());
    }

    [Fact]
    public void ToString_OverCapacityInSmallWrites_ReturnsLastBytes()
    {
        var tail = new TailBuffer();
        var text = new StringBuilder();
        for (var i = 0; i < 1000; i++)
        {
            var line = $"line {i}\n";
            text.Append(line);
            tail.Append(Encoding.ASCII.GetBytes(line));
        }

        Assert.Equal(text.ToString()[^TailBuffer.Capacity..], tail.ToString());
    }

    [Fact]
    public void ToString_OneWriteOverCapacity_ReturnsItsEnd()
    {
        var tail = new TailBuffer();
        tail.Append("x"u8);
        var big = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 1000).Select(i => $"{i:D5},")));
        tail.Append(big);

        Assert.Equal(Encoding.ASCII.GetString(big)[^TailBuffer.Capacity..], tail.ToString());
    }

    [Fact]
    public void ToString_CutInsideUtf8Sequence_DropsThePartialCharacter()
    {
        var tail = new TailBuffer();
        tail.Append(Encoding.UTF8.GetBytes("é" + new string('a', TailBuffer.Capacity - 1)));

        Assert.Equal(new string('a', TailBuffer.Capacity - 1), tail.ToString());
    }
}
