using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Kindling.Queues.Engine;

/// <summary>
/// The digests SQS returns so that clients can check what it stored: MD5 of the UTF-8 body, and of the message
/// attributes encoded as SQS specifies (names sorted; each name, data type and value length-prefixed with a
/// 4-byte big-endian length; a transport byte 1 for string values, 2 for binary ones).
/// </summary>
internal static class Md5Digests
{
    public static string OfBody(string body) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));

    public static string? OfAttributes(IEnumerable<KeyValuePair<string, MessageAttribute>> attributes)
    {
        using var buffer = new MemoryStream();
        var any = false;
        foreach (var (name, attribute) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            any = true;
            Write(buffer, Encoding.UTF8.GetBytes(name));
            Write(buffer, Encoding.UTF8.GetBytes(attribute.DataType));
            if (attribute.IsBinary)
            {
                buffer.WriteByte(2);
                Write(buffer, attribute.BinaryValue ?? []);
            }
            else
            {
                buffer.WriteByte(1);
                Write(buffer, Encoding.UTF8.GetBytes(attribute.StringValue ?? ""));
            }
        }

        return any ? Convert.ToHexStringLower(MD5.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length))) : null;
    }

    private static void Write(MemoryStream buffer, ReadOnlySpan<byte> bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
    }
}
