using System.Runtime.InteropServices;

namespace Kindling.Runtime.Dotnet.Logging;

/// <summary>
/// File descriptor 1 as a write-only stream, straight on libc: Console.OpenStandardOutput initializes the console
/// layer (terminal handling, signal registration), about 5 ms of a full core before the first <c>next</c>.
/// </summary>
internal sealed partial class StandardOutput : Stream
{
    private const int EIntr = 4;
    private const int EAgain = 11;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            var offset = 0;
            while (offset < buffer.Length)
            {
                var written = write(1, start + offset, buffer.Length - offset);
                if (written < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno is EIntr or EAgain)
                    {
                        continue;
                    }

                    // Nowhere left to report it: the log is gone (the platform closed the pipe).
                    return;
                }

                offset += (int)written;
            }
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static unsafe partial nint write(int fd, byte* buffer, nint count);
}
