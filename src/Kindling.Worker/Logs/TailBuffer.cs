using System.Text;

namespace Kindling.Worker.Logs;

/// <summary>
/// The last <see cref="Capacity"/> bytes of one invocation's log lines (Lambda's <c>X-Amz-Log-Result</c>): a
/// fixed ring, so capturing costs one copy per line whatever the invocation writes.
/// </summary>
internal sealed class TailBuffer
{
    public const int Capacity = 4096;

    private readonly byte[] _ring = new byte[Capacity];
    private long _written;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > Capacity)
        {
            _written += bytes.Length - Capacity;
            bytes = bytes[^Capacity..];
        }

        var start = (int)(_written % Capacity);
        var first = Math.Min(bytes.Length, Capacity - start);
        bytes[..first].CopyTo(_ring.AsSpan(start));
        bytes[first..].CopyTo(_ring);
        _written += bytes.Length;
    }

    public void Append(byte value) => Append([value]);

    /// <summary>The captured text; a UTF-8 sequence cut at the start is dropped.</summary>
    public override string ToString()
    {
        var length = (int)Math.Min(_written, Capacity);
        var bytes = new byte[length];
        var start = (int)((_written - length) % Capacity);
        var first = Math.Min(length, Capacity - start);
        _ring.AsSpan(start, first).CopyTo(bytes);
        _ring.AsSpan(0, length - first).CopyTo(bytes.AsSpan(first));
        var skip = 0;
        while (_written > Capacity && skip < bytes.Length && (bytes[skip] & 0xC0) == 0x80)
        {
            skip++;
        }

        return Encoding.UTF8.GetString(bytes, skip, bytes.Length - skip);
    }
}
