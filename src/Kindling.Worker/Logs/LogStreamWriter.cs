using System.Buffers;
using System.Globalization;
using System.Text;

namespace Kindling.Worker.Logs;

/// <summary>
/// One log stream (one execution environment): everything the runtime writes, split into events at line ends,
/// and the platform's lines (START, END, REPORT…), appended to the stream's file as
/// <c>&lt;ISO-8601 UTC time&gt;\t&lt;line&gt;\n</c>. Bytes go through unchanged (no decoding on the hot path).
/// While an invocation asks for its log tail, every line is also captured into a <see cref="TailBuffer"/>.
/// One lock orders the runtime's lines and the platform's; the file is flushed after each batch of output and
/// at each invocation's end, so that followers see lines as they come.
/// </summary>
internal sealed class LogStreamWriter : IDisposable
{
    /// <summary>Longest event; longer lines are split (CloudWatch Logs' limit is 256 KB).</summary>
    public const int MaxEventBytes = 256 * 1024;

    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private readonly Lock _lock = new();
    private readonly string _path;
    private readonly TimeProvider _time;
    private FileStream? _file;
    private byte[] _partial = [];
    private int _partialLength;
    private TailBuffer? _tail;
    private bool _failed;
    private bool _disposed;

    public LogStreamWriter(string path, string streamName, TimeProvider time)
    {
        StreamName = streamName;
        _path = path;
        _time = time;
    }

    /// <summary>
    /// Sees every output line (called under the writer's lock: keep it short). Lines that start with the
    /// extensions launcher's mark are an extension's: the mark is removed.
    /// </summary>
    public LogLineObserver? Observer { get; set; }

    /// <summary>The stream's name (AWS_LAMBDA_LOG_STREAM_NAME).</summary>
    public string StreamName { get; }

    /// <summary>Appends one platform line (no line break in it).</summary>
    public void WriteLine(string line, bool flush = false)
    {
        var length = Encoding.UTF8.GetMaxByteCount(line.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(line, rented);
            lock (_lock)
            {
                WriteEvent(rented.AsSpan(0, written));
                if (flush)
                {
                    FlushFile();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Appends what the runtime wrote; a line without its end waits for the rest.</summary>
    public void WriteOutput(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            while (!data.IsEmpty)
            {
                var end = data.IndexOf((byte)'\n');
                if (end < 0)
                {
                    AppendPartial(data);
                    break;
                }

                if (_partialLength > 0)
                {
                    AppendPartial(data[..end]);
                    WriteOutputEvent(_partial.AsSpan(0, _partialLength));
                    _partialLength = 0;
                }
                else
                {
                    WriteOutputEvent(data[..end]);
                }

                data = data[(end + 1)..];
            }

            FlushFile();
        }
    }

    /// <summary>The runtime's output ended: a last line without its line break becomes an event.</summary>
    public void EndOutput()
    {
        lock (_lock)
        {
            if (_partialLength > 0)
            {
                WriteOutputEvent(_partial.AsSpan(0, _partialLength));
                _partialLength = 0;
            }

            FlushFile();
        }
    }

    /// <summary>Starts capturing lines for an invocation's log tail.</summary>
    public void BeginTail()
    {
        lock (_lock)
        {
            _tail = new TailBuffer();
        }
    }

    /// <summary>Stops capturing; the captured tail, or null if none was being captured.</summary>
    public string? EndTail()
    {
        lock (_lock)
        {
            var tail = _tail;
            _tail = null;
            return tail?.ToString();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            if (_partialLength > 0)
            {
                WriteEvent(_partial.AsSpan(0, _partialLength));
                _partialLength = 0;
            }

            _disposed = true;
            try
            {
                _file?.Dispose();
            }
            catch (IOException)
            {
                // The disk is full or gone: the lines are lost, the environment still ends.
            }
        }
    }

    private void AppendPartial(ReadOnlySpan<byte> data)
    {
        while (_partialLength + data.Length > MaxEventBytes)
        {
            var take = MaxEventBytes - _partialLength;
            EnsurePartialCapacity(MaxEventBytes);
            data[..take].CopyTo(_partial.AsSpan(_partialLength));
            WriteOutputEvent(_partial.AsSpan(0, MaxEventBytes));
            _partialLength = 0;
            data = data[take..];
        }

        EnsurePartialCapacity(_partialLength + data.Length);
        data.CopyTo(_partial.AsSpan(_partialLength));
        _partialLength += data.Length;
    }

    private void EnsurePartialCapacity(int length)
    {
        if (_partial.Length < length)
        {
            Array.Resize(ref _partial, Math.Min(MaxEventBytes, Math.Max(length, Math.Max(256, _partial.Length * 2))));
        }
    }

    private void WriteOutputEvent(ReadOnlySpan<byte> line)
    {
        var extension = !line.IsEmpty && line[0] == Extensions.ExtensionLauncher.LineMark;
        if (extension)
        {
            line = line[1..];
        }

        Observer?.Invoke(line, extension);
        WriteEvent(line);
    }

    private void WriteEvent(ReadOnlySpan<byte> line)
    {
        if (_tail is { } tail)
        {
            tail.Append(line);
            tail.Append((byte)'\n');
        }

        if (OpenFile() is not { } file)
        {
            return;
        }

        Span<byte> stamp = stackalloc byte[32];
        _time.GetUtcNow().UtcDateTime.TryFormat(stamp, out var length, TimestampFormat, CultureInfo.InvariantCulture);
        stamp[length++] = (byte)'\t';
        try
        {
            file.Write(stamp[..length]);
            file.Write(line);
            file.WriteByte((byte)'\n');
        }
        catch (IOException)
        {
            // Disk full: drop the stream's lines rather than stall the runtime, whose output must keep flowing.
            _failed = true;
        }
    }

    private void FlushFile()
    {
        if (_failed || _disposed || _file is not { } file)
        {
            return;
        }

        try
        {
            file.Flush();
        }
        catch (IOException)
        {
            _failed = true;
        }
    }

    /// <summary>
    /// The stream's file, created at its first line (under the lock): a cold start's first line, INIT_START, is written
    /// once its runtime has started, and creating the file (~0.15 ms) no longer delays that start. Null when the
    /// file cannot be written (its lines are dropped, as on a full disk).
    /// </summary>
    private FileStream? OpenFile()
    {
        if (_file is null && !_failed && !_disposed)
        {
            try
            {
                _file = new FileStream(_path, new FileStreamOptions
                {
                    Mode = FileMode.Append,
                    Access = FileAccess.Write,
                    Share = FileShare.ReadWrite | FileShare.Delete,
                    BufferSize = 16 * 1024,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
                });
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                _failed = true;
            }
        }

        return _failed || _disposed ? null : _file;
    }
}
