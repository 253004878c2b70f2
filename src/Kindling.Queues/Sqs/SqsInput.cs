using System.Globalization;
using System.Text.Json.Nodes;
using Kindling.Queues.Errors;

namespace Kindling.Queues.Sqs;

/// <summary>Reads members of a request (JSON numbers or the query protocol's strings alike).</summary>
internal static class SqsInput
{
    public static string? String(JsonObject input, string name) => input[name] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    public static string Required(JsonObject input, string name) =>
        String(input, name) is { Length: > 0 } value ? value : throw QueueErrors.MissingParameter(name);

    public static int? Int(JsonObject input, string name)
    {
        switch (input[name])
        {
            case null:
                return null;
            case JsonValue v when v.TryGetValue<int>(out var n):
                return n;
            case JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n):
                return n;
            default:
                throw QueueErrors.InvalidParameter(name, String(input, name), "Must be an integer.");
        }
    }

    public static Dictionary<string, string> Map(JsonObject input, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (input[name] is JsonObject json)
        {
            foreach (var (key, value) in json)
            {
                map[key] = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
            }
        }

        return map;
    }

    public static List<string> List(JsonObject input, string name) =>
        input[name] is JsonArray list ? list.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToJsonString() ?? "").ToList() : [];

    public static List<JsonObject> Entries(JsonObject input) =>
        input["Entries"] is JsonArray list ? list.OfType<JsonObject>().ToList() : [];
}
