using System.Text.Json.Nodes;
using Kindling.Queues.Engine;

namespace Kindling.Queues.Sqlite;

/// <summary>How maps and message attributes are kept in TEXT columns.</summary>
internal static class StoredJson
{
    public static string FromMap(IReadOnlyDictionary<string, string> map)
    {
        var json = new JsonObject();
        foreach (var (key, value) in map)
        {
            json[key] = value;
        }

        return json.ToJsonString();
    }

    public static Dictionary<string, string> ToMap(string text)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in JsonNode.Parse(text)!.AsObject())
        {
            map[key] = value!.GetValue<string>();
        }

        return map;
    }

    public static string? FromAttributes(IReadOnlyDictionary<string, MessageAttribute> attributes)
    {
        if (attributes.Count == 0)
        {
            return null;
        }

        var json = new JsonObject();
        foreach (var (name, attribute) in attributes)
        {
            json[name] = new JsonObject
            {
                ["t"] = attribute.DataType,
                ["s"] = attribute.StringValue,
                ["b"] = attribute.BinaryValue is null ? null : Convert.ToBase64String(attribute.BinaryValue),
            };
        }

        return json.ToJsonString();
    }

    public static IReadOnlyDictionary<string, MessageAttribute> ToAttributes(string? text)
    {
        var result = new Dictionary<string, MessageAttribute>(StringComparer.Ordinal);
        if (text is null)
        {
            return result;
        }

        foreach (var (name, node) in JsonNode.Parse(text)!.AsObject())
        {
            var b = (string?)node!["b"];
            result[name] = new MessageAttribute((string)node["t"]!, (string?)node["s"], b is null ? null : Convert.FromBase64String(b));
        }

        return result;
    }
}
