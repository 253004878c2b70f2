using System.Text;
using System.Text.Json;
using Kindling.Functions;
using Kindling.Queues.Engine;

namespace Kindling.Invocation.Async;

/// <summary>
/// Maps an <see cref="AsyncEvent"/> to a queue message and back. The body is the payload as text when it is
/// valid UTF-8 made of characters SQS accepts (every JSON document in practice), else its base64.
/// </summary>
internal static class AsyncEventCodec
{
    public const string AttributeName = "kindling";

    public static OutgoingMessage ToMessage(AsyncEvent item, int delaySeconds)
    {
        var span = item.Payload.Span;
        var text = System.Text.Unicode.Utf8.IsValid(span) ? Encoding.UTF8.GetString(span) : null;
        var base64 = text is null || !SqsSafe(text);
        var meta = new Meta(item.Kind, item.FunctionName, item.Qualifier, item.RequestId, item.AcceptedAtMs, item.Attempts, item.Throttles,
            item.TraceHeader, item.Target, item.Purpose, item.ErrorCode, item.ErrorMessage, base64 ? true : null);
        return new OutgoingMessage
        {
            Body = base64 ? Convert.ToBase64String(span) : text!,
            DelaySeconds = delaySeconds,
            Attributes = new Dictionary<string, MessageAttribute>
            {
                [AttributeName] = new("String", JsonSerializer.Serialize(meta, LambdaJson.Options), null),
            },
        };
    }

    public static AsyncEvent FromMessage(ReceivedMessage message)
    {
        var meta = JsonSerializer.Deserialize<Meta>(message.Attributes[AttributeName].StringValue!, LambdaJson.Options)
            ?? throw new InvalidDataException("An internal event without its metadata.");
        return new AsyncEvent
        {
            Kind = meta.K,
            FunctionName = meta.F,
            Qualifier = meta.Q,
            RequestId = meta.R,
            AcceptedAtMs = meta.T,
            Attempts = meta.A,
            Throttles = meta.Th,
            TraceHeader = meta.Tr,
            Target = meta.D,
            Purpose = meta.P,
            ErrorCode = meta.Ec,
            ErrorMessage = meta.Em,
            Payload = meta.B64 == true ? Convert.FromBase64String(message.Body) : Encoding.UTF8.GetBytes(message.Body),
        };
    }

    // SQS accepts #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.
    private static bool SqsSafe(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            var c = rune.Value;
            if (!(c is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or >= 0x10000))
            {
                return false;
            }
        }

        return true;
    }

    // Short member names: the metadata counts toward the queue's 1 MiB message size, beside a payload of up to 1 MB.
    private sealed record Meta(
        AsyncEventKind K, string F, string? Q, string R, long T, int A, int Th, string? Tr, string? D, string? P, string? Ec, string? Em, bool? B64);
}
