using System.Buffers.Binary;
using System.Text;
using Kindling.Functions.Packages;

namespace Kindling.Api.EventStreams;

/// <summary>
/// One message of AWS's event stream encoding (<c>application/vnd.amazon.eventstream</c>): total length and headers
/// length (u32, big-endian), the CRC-32 of those 8 bytes, string-typed headers (name length u8, name, type 7,
/// value length u16, value), the payload, and the CRC-32 of everything before it.
/// </summary>
internal static class EventStreamMessage
{
    private const byte StringHeaderType = 7;
    private const int PreludeBytes = 12;
    private const int TrailerBytes = 4;

    /// <summary>An <c>:message-type event</c> message with the given event type and content type.</summary>
    public static byte[] Event(string eventType, string contentType, ReadOnlySpan<byte> payload) =>
        Encode([(":event-type", eventType), (":content-type", contentType), (":message-type", "event")], payload);

    public static byte[] Encode(IReadOnlyList<(string Name, string Value)> headers, ReadOnlySpan<byte> payload)
    {
        var headerBytes = 0;
        foreach (var (name, value) in headers)
        {
            headerBytes += 1 + Encoding.UTF8.GetByteCount(name) + 1 + 2 + Encoding.UTF8.GetByteCount(value);
        }

        var message = new byte[PreludeBytes + headerBytes + payload.Length + TrailerBytes];
        var span = message.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)message.Length);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], (uint)headerBytes);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], Crc32.Append(0, span[..8]));
        var position = PreludeBytes;
        foreach (var (name, value) in headers)
        {
            var nameLength = Encoding.UTF8.GetBytes(name, span[(position + 1)..]);
            span[position] = (byte)nameLength;
            position += 1 + nameLength;
            span[position++] = StringHeaderType;
            var valueLength = Encoding.UTF8.GetBytes(value, span[(position + 2)..]);
            BinaryPrimitives.WriteUInt16BigEndian(span[position..], (ushort)valueLength);
            position += 2 + valueLength;
        }

        payload.CopyTo(span[position..]);
        position += payload.Length;
        BinaryPrimitives.WriteUInt32BigEndian(span[position..], Crc32.Append(0, span[..position]));
        return message;
    }
}
