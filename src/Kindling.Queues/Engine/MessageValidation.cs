using System.Text;
using Kindling.Queues.Errors;

namespace Kindling.Queues.Engine;

/// <summary>SQS's rules for message contents and size.</summary>
internal static class MessageValidation
{
    public static void CheckCharacters(string text)
    {
        var span = text.AsSpan();
        while (!span.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(span, out var rune, out var used) != System.Buffers.OperationStatus.Done || !Allowed(rune.Value))
            {
                throw QueueErrors.InvalidMessageContents();
            }

            span = span[used..];
        }
    }

    /// <summary>The body and every attribute's name, type and value count toward the maximum size.</summary>
    public static long Size(OutgoingMessage message)
    {
        long size = Encoding.UTF8.GetByteCount(message.Body);
        foreach (var (name, attribute) in message.Attributes)
        {
            size += Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(attribute.DataType)
                + (attribute.BinaryValue?.Length ?? Encoding.UTF8.GetByteCount(attribute.StringValue ?? ""));
        }

        return size;
    }

    private static bool Allowed(int c) =>
        c is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);
}
