using System.Text.Json.Nodes;
using Kindling.Queues.Engine;
using Kindling.Queues.Errors;

namespace Kindling.Queues.Sqs;

internal sealed partial class SqsOperations
{
    private static readonly string[] SystemAttributes =
    [
        "SenderId", "SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp",
        "SequenceNumber", "MessageDeduplicationId", "MessageGroupId", "AWSTraceHeader",
    ];

    private static OutgoingMessage Outgoing(JsonObject input, string senderId)
    {
        var body = SqsInput.String(input, "MessageBody");
        if (string.IsNullOrEmpty(body))
        {
            throw QueueErrors.MissingParameter("MessageBody");
        }

        string? trace = null;
        if (input["MessageSystemAttributes"] is JsonObject system)
        {
            foreach (var (name, value) in system)
            {
                if (name != "AWSTraceHeader")
                {
                    throw QueueErrors.InvalidParameterValue($"Message system attribute name '{name}' is invalid.");
                }

                trace = Attribute(name, value as JsonObject).StringValue;
            }
        }

        var attributes = new Dictionary<string, MessageAttribute>(StringComparer.Ordinal);
        if (input["MessageAttributes"] is JsonObject given)
        {
            if (given.Count > 10)
            {
                throw QueueErrors.InvalidParameterValue($"Number of message attributes [{given.Count}] exceeds the allowed maximum [10].");
            }

            foreach (var (name, value) in given)
            {
                attributes[name] = Attribute(name, value as JsonObject);
            }
        }

        return new OutgoingMessage
        {
            Body = body,
            DelaySeconds = SqsInput.Int(input, "DelaySeconds"),
            Attributes = attributes,
            TraceHeader = trace,
            MessageGroupId = SqsInput.String(input, "MessageGroupId"),
            MessageDeduplicationId = SqsInput.String(input, "MessageDeduplicationId"),
            SenderId = senderId,
        };
    }

    private static MessageAttribute Attribute(string name, JsonObject? value)
    {
        var type = value is null ? null : SqsInput.String(value, "DataType");
        if (string.IsNullOrEmpty(type))
        {
            throw QueueErrors.InvalidParameterValue($"The message attribute '{name}' must contain non-empty message attribute type.");
        }

        var kind = type.Split('.')[0];
        if (kind is not ("String" or "Number" or "Binary"))
        {
            throw QueueErrors.InvalidParameterValue(
                $"The type of message (user) attribute '{name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.");
        }

        if (kind == "Binary")
        {
            var encoded = SqsInput.String(value!, "BinaryValue");
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(encoded ?? "");
            }
            catch (FormatException)
            {
                bytes = [];
            }

            return bytes.Length == 0
                ? throw QueueErrors.InvalidParameterValue($"The message attribute '{name}' with type 'Binary' must use field 'Binary'.")
                : new MessageAttribute(type, null, bytes);
        }

        var text = SqsInput.String(value!, "StringValue");
        if (string.IsNullOrEmpty(text))
        {
            throw QueueErrors.InvalidParameterValue($"The message attribute '{name}' with type '{kind}' must use field 'String'.");
        }

        if (kind == "Number" && !decimal.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            throw QueueErrors.InvalidParameterValue($"Can't cast the value of message (user) attribute '{name}' to a number.");
        }

        MessageValidation.CheckCharacters(text);
        return new MessageAttribute(type, text, null);
    }

    private static JsonObject SendResult(SentMessage sent, string? id)
    {
        var result = new JsonObject();
        if (id is not null)
        {
            result["Id"] = id;
        }

        result["MessageId"] = sent.MessageId;
        result["MD5OfMessageBody"] = sent.Md5OfBody;
        if (sent.Md5OfMessageAttributes is not null)
        {
            result["MD5OfMessageAttributes"] = sent.Md5OfMessageAttributes;
        }

        if (sent.Md5OfSystemAttributes is not null)
        {
            result["MD5OfMessageSystemAttributes"] = sent.Md5OfSystemAttributes;
        }

        if (sent.SequenceNumber is not null)
        {
            result["SequenceNumber"] = sent.SequenceNumber;
        }

        return result;
    }

    private async Task<JsonObject> ReceiveAsync(JsonObject input, CancellationToken cancellationToken)
    {
        var queue = Queue(input);
        var options = new ReceiveOptions
        {
            MaxNumberOfMessages = SqsInput.Int(input, "MaxNumberOfMessages") ?? 1,
            VisibilityTimeoutSeconds = SqsInput.Int(input, "VisibilityTimeout"),
            WaitTimeSeconds = SqsInput.Int(input, "WaitTimeSeconds"),
        };
        var systemNames = SqsInput.List(input, "AttributeNames").Concat(SqsInput.List(input, "MessageSystemAttributeNames")).ToHashSet(StringComparer.Ordinal);
        var allSystem = systemNames.Contains("All");
        var attributeNames = SqsInput.List(input, "MessageAttributeNames");
        IReadOnlyList<ReceivedMessage> messages;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
        try
        {
            messages = await engine.ReceiveAsync(queue, options, wait.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The server is stopping: a long poll ends now with no messages rather than holding the shutdown.
            messages = [];
        }

        if (messages.Count == 0)
        {
            return new JsonObject();
        }

        var list = new JsonArray();
        foreach (var message in messages)
        {
            var json = new JsonObject
            {
                ["MessageId"] = message.MessageId,
                ["ReceiptHandle"] = message.ReceiptHandle,
                ["MD5OfBody"] = message.Md5OfBody,
                ["Body"] = message.Body,
            };
            var system = new JsonObject();
            foreach (var name in SystemAttributes)
            {
                if ((allSystem || systemNames.Contains(name)) && SystemValue(message, name) is { } value)
                {
                    system[name] = value;
                }
            }

            if (system.Count > 0)
            {
                json["Attributes"] = system;
            }

            var selected = message.Attributes.Where(a => Selected(attributeNames, a.Key)).ToList();
            if (selected.Count > 0)
            {
                json["MD5OfMessageAttributes"] = Md5Digests.OfAttributes(selected);
                var attributes = new JsonObject();
                foreach (var (name, attribute) in selected)
                {
                    attributes[name] = attribute.IsBinary
                        ? new JsonObject { ["BinaryValue"] = Convert.ToBase64String(attribute.BinaryValue!), ["DataType"] = attribute.DataType }
                        : new JsonObject { ["StringValue"] = attribute.StringValue, ["DataType"] = attribute.DataType };
                }

                json["MessageAttributes"] = attributes;
            }

            list.Add(json);
        }

        return new JsonObject { ["Messages"] = list };
    }

    private static bool Selected(List<string> names, string name) =>
        names.Any(n => n is "All" or ".*" || n == name || (n.EndsWith(".*", StringComparison.Ordinal) && name.StartsWith(n[..^1], StringComparison.Ordinal)));

    private static string? SystemValue(ReceivedMessage message, string name) => name switch
    {
        "SenderId" => message.SenderId,
        "SentTimestamp" => Text(message.SentTimestamp),
        "ApproximateReceiveCount" => Text(message.ReceiveCount),
        "ApproximateFirstReceiveTimestamp" => Text(message.FirstReceiveTimestamp),
        "SequenceNumber" => message.SequenceNumber,
        "MessageDeduplicationId" => message.MessageDeduplicationId,
        "MessageGroupId" => message.MessageGroupId,
        "AWSTraceHeader" => message.TraceHeader,
        _ => null,
    };
}
