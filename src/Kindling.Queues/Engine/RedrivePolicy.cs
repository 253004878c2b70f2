using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kindling.Queues.Errors;

namespace Kindling.Queues.Engine;

/// <summary>A parsed <c>RedrivePolicy</c>: after <see cref="MaxReceiveCount"/> receives a message moves to the dead-letter queue.</summary>
internal sealed record RedrivePolicy(string DeadLetterTargetArn, int MaxReceiveCount)
{
    /// <summary>The canonical JSON SQS returns.</summary>
    public string ToJson() => new JsonObject
    {
        ["deadLetterTargetArn"] = DeadLetterTargetArn,
        ["maxReceiveCount"] = MaxReceiveCount,
    }.ToJsonString();

    public static RedrivePolicy Parse(string value)
    {
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(value) as JsonObject;
        }
        catch (JsonException)
        {
            json = null;
        }

        if (json is null)
        {
            throw QueueErrors.InvalidAttributeValue(QueueAttributeNames.RedrivePolicy, "Invalid JSON.");
        }

        var arn = json["deadLetterTargetArn"] is JsonValue a && a.TryGetValue<string>(out var s) ? s : null;
        if (arn is null)
        {
            throw QueueErrors.InvalidParameter(QueueAttributeNames.RedrivePolicy, value, "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.");
        }

        int? count = json["maxReceiveCount"] switch
        {
            JsonValue v when v.TryGetValue<int>(out var n) => n,
            JsonValue v when v.TryGetValue<string>(out var t) && int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
        if (count is null)
        {
            throw QueueErrors.InvalidParameter(QueueAttributeNames.RedrivePolicy, value, "Redrive policy does not contain mandatory attribute: maxReceiveCount.");
        }

        if (count is < 1 or > 1000)
        {
            throw QueueErrors.InvalidParameter(QueueAttributeNames.RedrivePolicy, value, "Invalid value for maxReceiveCount: " + count + ", valid values are from 1 to 1000 both inclusive.");
        }

        return new RedrivePolicy(arn, count.Value);
    }
}
