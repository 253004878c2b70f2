using System.Globalization;
using System.Text.Json.Nodes;

namespace Kindling.Queues.Sqs;

/// <summary>
/// Turns the query protocol's flattened parameters (<c>Attribute.1.Name</c>, <c>SendMessageBatchRequestEntry.2.Id</c>)
/// into the JSON protocol's input shape, so one implementation serves both protocols.
/// </summary>
internal static class QueryInput
{
    private static readonly Dictionary<string, (string Member, string Key, string Value)> Maps = new(StringComparer.Ordinal)
    {
        ["Attribute"] = ("Attributes", "Name", "Value"),
        ["MessageAttribute"] = ("MessageAttributes", "Name", "Value"),
        ["MessageSystemAttribute"] = ("MessageSystemAttributes", "Name", "Value"),
        ["Tag"] = ("Tags", "Key", "Value"),
    };

    private static readonly Dictionary<string, string> Lists = new(StringComparer.Ordinal)
    {
        ["AttributeName"] = "AttributeNames",
        ["MessageAttributeName"] = "MessageAttributeNames",
        ["MessageSystemAttributeName"] = "MessageSystemAttributeNames",
        ["TagKey"] = "TagKeys",
    };

    public static JsonObject ToJson(IEnumerable<KeyValuePair<string, string>> parameters) =>
        Convert(parameters.Where(p => p.Key is not ("Action" or "Version")).Select(p => (p.Key.Split('.'), p.Value)).ToList());

    private static JsonObject Convert(List<(string[] Path, string Value)> pairs)
    {
        var result = new JsonObject();
        foreach (var group in pairs.Where(p => p.Path.Length > 0).GroupBy(p => p.Path[0], StringComparer.Ordinal))
        {
            var name = group.Key;
            var rest = group.Select(p => (Path: p.Path[1..], p.Value)).ToList();
            if (Maps.TryGetValue(name, out var map))
            {
                var json = new JsonObject();
                foreach (var entry in Indexed(rest))
                {
                    var key = entry.FirstOrDefault(e => e.Path is [var k] && k == map.Key).Value;
                    if (key is null)
                    {
                        continue;
                    }

                    var value = entry.Where(e => e.Path.Length > 0 && e.Path[0] == map.Value).Select(e => (Path: e.Path[1..], e.Value)).ToList();
                    json[key] = value.Count == 1 && value[0].Path.Length == 0 ? JsonValue.Create(value[0].Value) : Convert(value);
                }

                result[map.Member] = json;
            }
            else if (Lists.TryGetValue(name, out var list))
            {
                result[list] = new JsonArray(rest.Where(r => r.Path.Length == 1)
                    .OrderBy(r => Index(r.Path[0])).Select(r => (JsonNode?)JsonValue.Create(r.Value)).ToArray());
            }
            else if (name.EndsWith("BatchRequestEntry", StringComparison.Ordinal))
            {
                result["Entries"] = new JsonArray(Indexed(rest).Select(e => (JsonNode?)Convert(e)).ToArray());
            }
            else if (rest.Count == 1 && rest[0].Path.Length == 0)
            {
                result[name] = rest[0].Value;
            }
            else
            {
                result[name] = Convert(rest.Where(r => r.Path.Length > 0).ToList());
            }
        }

        return result;
    }

    /// <summary>Groups <c>N.rest</c> pairs by N, in numeric order, without the index.</summary>
    private static IEnumerable<List<(string[] Path, string Value)>> Indexed(List<(string[] Path, string Value)> pairs) =>
        pairs.Where(p => p.Path.Length > 1)
            .GroupBy(p => p.Path[0], StringComparer.Ordinal)
            .OrderBy(g => Index(g.Key))
            .Select(g => g.Select(p => (p.Path[1..], p.Value)).ToList());

    private static int Index(string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;
}
