using System.Buffers.Text;
using System.Text;
using Kindling.Queues.Errors;

namespace Kindling.Queues.Engine;

/// <summary>
/// A receipt handle names one delivery: the queue, the message and a token drawn at that receive, so that an
/// older delivery's handle cannot delete or extend a newer one.
/// </summary>
internal readonly record struct ReceiptHandle(string Queue, string MessageId, string Token)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Queue}\n{MessageId}\n{Token}"));

    public static ReceiptHandle Decode(string handle)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(handle)).Split('\n');
            if (parts.Length == 3 && parts.All(p => p.Length > 0))
            {
                return new ReceiptHandle(parts[0], parts[1], parts[2]);
            }
        }
        catch (FormatException)
        {
        }

        throw QueueErrors.ReceiptHandleIsInvalid(handle);
    }
}
