using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Kindling.Worker.Logs;

/// <summary>
/// Reads functions' log streams (what <c>kindling logs &lt;function&gt; [--follow]</c> shows). Works on the
/// files alone, so it can run in another process than the worker's; streams are only ever appended to, so a
/// follower lists streams and reads each from the position its last read returned.
/// </summary>
public sealed class FunctionLogReader
{
    private const int ReadChunkBytes = 64 * 1024;
    private const int TimestampLength = 24;

    private readonly string _logsDirectory;

    /// <summary>Reads the streams of the worker configured by <paramref name="options"/>.</summary>
    public FunctionLogReader(WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logsDirectory = new WorkerDirectories(options.DataDirectory).Logs;
    }

    /// <summary>The function's streams, most recently written first; none if it never ran.</summary>
    /// <exception cref="ArgumentException">The name is not a function name.</exception>
    public IReadOnlyList<LogStreamInfo> ListStreams(string functionName)
    {
        var directory = new DirectoryInfo(LogPaths.FunctionDirectory(_logsDirectory, functionName));
        if (!directory.Exists)
        {
            return [];
        }

        var streams = new List<LogStreamInfo>();
        foreach (var file in directory.EnumerateFiles("*" + LogStreamName.FileExtension))
        {
            if (LogStreamName.FromFileName(file.Name) is { } name)
            {
                streams.Add(new LogStreamInfo(name, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero), file.Length));
            }
        }

        streams.Sort(static (a, b) => b.LastWriteTime.CompareTo(a.LastWriteTime) is var order and not 0 ? order : string.CompareOrdinal(b.Name, a.Name));
        return streams;
    }

    /// <summary>
    /// Reads up to <paramref name="maxEvents"/> events that start at or after <paramref name="position"/> (0 for
    /// the beginning, else a <see cref="LogReadResult.NextPosition"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The function or stream name is invalid.</exception>
    /// <exception cref="FileNotFoundException">The stream does not exist.</exception>
    public async ValueTask<LogReadResult> ReadAsync(
        string functionName, string streamName, long position, int maxEvents, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEvents);
        var path = LogPaths.StreamFile(_logsDirectory, functionName, streamName);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
        return await ReadEventsAsync(handle, position, maxEvents, cancellationToken);
    }

    private static async ValueTask<LogReadResult> ReadEventsAsync(
        SafeFileHandle handle, long position, int maxEvents, CancellationToken cancellationToken)
    {
        var events = new List<LogEvent>();
        var buffer = new byte[ReadChunkBytes];
        var filled = 0;
        var offset = position;
        while (events.Count < maxEvents)
        {
            if (filled == buffer.Length)
            {
                // One line longer than the buffer (an event of up to 256 KB plus its time stamp).
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(filled), offset + filled, cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
            var consumed = 0;
            while (events.Count < maxEvents)
            {
                var end = buffer.AsSpan(consumed, filled - consumed).IndexOf((byte)'\n');
                if (end < 0)
                {
                    break;
                }

                events.Add(Parse(buffer.AsSpan(consumed, end)));
                consumed += end + 1;
            }

            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
            offset += consumed;
        }

        return new LogReadResult(events, offset);
    }

    private static LogEvent Parse(ReadOnlySpan<byte> line)
    {
        if (line.Length > TimestampLength && line[TimestampLength] == (byte)'\t'
            && DateTimeOffset.TryParseExact(
                Encoding.ASCII.GetString(line[..TimestampLength]), "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var timestamp))
        {
            return new LogEvent(timestamp, Encoding.UTF8.GetString(line[(TimestampLength + 1)..]));
        }

        return new LogEvent(DateTimeOffset.UnixEpoch, Encoding.UTF8.GetString(line));
    }
}
