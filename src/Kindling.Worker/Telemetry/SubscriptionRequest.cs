using System.Text.Json;

namespace Kindling.Worker.Telemetry;

/// <summary>
/// A validated Telemetry API (or Logs API) subscription: the streams, the buffering limits (documented ranges:
/// maxItems 25–10000 (Logs API 1000–10000), maxBytes 262144–1048576, timeoutMs 25–30000) and the destination.
/// </summary>
internal sealed record SubscriptionRequest
{
    public required TelemetryApi Api { get; init; }

    public required TelemetryTypes Types { get; init; }

    /// <summary>The types as the extension wrote them (platform.telemetrySubscription echoes them).</summary>
    public required IReadOnlyList<string> TypeNames { get; init; }

    public required int MaxItems { get; init; }

    public required int MaxBytes { get; init; }

    public required int TimeoutMs { get; init; }

    /// <summary>HTTP or TCP.</summary>
    public required string Protocol { get; init; }

    public required Uri Destination { get; init; }

    /// <summary>Parses and validates a body; on failure the message lists every problem, as Lambda's does.</summary>
    public static SubscriptionRequest? Parse(TelemetryApi api, ReadOnlySpan<byte> body, out string? error)
    {
        var problems = new List<string>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException exception)
        {
            error = "Invalid JSON: " + exception.Message;
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "Invalid JSON: the body must be an object";
                return null;
            }

            if (api == TelemetryApi.Telemetry)
            {
                var schema = String(root, "schemaVersion");
                if (schema is not ("2022-07-01" or "2022-12-13" or "2025-01-29"))
                {
                    problems.Add(schema is null ? "schemaVersion is required" : $"schemaVersion {schema} is not supported");
                }
            }

            var types = TelemetryTypes.None;
            var names = new List<string>();
            if (root.TryGetProperty("types", out var typesElement) && typesElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in typesElement.EnumerateArray())
                {
                    var name = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
                    var type = name switch
                    {
                        "platform" => TelemetryTypes.Platform,
                        "function" => TelemetryTypes.Function,
                        "extension" => TelemetryTypes.Extension,
                        _ => TelemetryTypes.None,
                    };
                    if (type == TelemetryTypes.None)
                    {
                        problems.Add($"type {name ?? item.GetRawText()} is not supported");
                    }
                    else
                    {
                        types |= type;
                        names.Add(name!);
                    }
                }
            }

            if (names.Count == 0 && !problems.Any(p => p.StartsWith("type ", StringComparison.Ordinal)))
            {
                problems.Add("types should not be empty");
            }

            var minItems = api == TelemetryApi.Telemetry ? 25 : 1000;
            var maxItems = api == TelemetryApi.Telemetry ? 1000 : 10_000;
            var maxBytes = 262_144;
            var timeoutMs = 1000;
            if (root.TryGetProperty("buffering", out var buffering) && buffering.ValueKind == JsonValueKind.Object)
            {
                maxItems = Range(buffering, "maxItems", minItems, 10_000, maxItems, problems);
                maxBytes = Range(buffering, "maxBytes", 262_144, 1_048_576, maxBytes, problems);
                timeoutMs = Range(buffering, "timeoutMs", 25, 30_000, timeoutMs, problems);
            }

            string? protocol = null;
            Uri? uri = null;
            if (root.TryGetProperty("destination", out var destination) && destination.ValueKind == JsonValueKind.Object)
            {
                protocol = String(destination, "protocol");
                if (protocol is not ("HTTP" or "TCP"))
                {
                    problems.Add(protocol is null ? "destination protocol is required" : $"destination protocol {protocol} is not supported");
                }

                var text = String(destination, "URI");
                if (text is null || !Uri.TryCreate(text, UriKind.Absolute, out uri))
                {
                    problems.Add("URI is not valid");
                }
                else if (uri.IsDefaultPort && !HasExplicitPort(text))
                {
                    problems.Add("URI port is not provided");
                }
                else if (protocol == "HTTP" && uri.Scheme != Uri.UriSchemeHttp)
                {
                    problems.Add("URI scheme must be http");
                }
            }
            else
            {
                problems.Add("destination is required");
            }

            if (problems.Count > 0)
            {
                error = string.Join("; ", problems);
                return null;
            }

            error = null;
            return new SubscriptionRequest
            {
                Api = api,
                Types = types,
                TypeNames = names,
                MaxItems = maxItems,
                MaxBytes = maxBytes,
                TimeoutMs = timeoutMs,
                Protocol = protocol!,
                Destination = uri!,
            };
        }
    }

    private static bool HasExplicitPort(string uri)
    {
        var authority = uri.AsSpan();
        var scheme = authority.IndexOf("://");
        authority = scheme < 0 ? authority : authority[(scheme + 3)..];
        var slash = authority.IndexOf('/');
        authority = slash < 0 ? authority : authority[..slash];
        var colon = authority.LastIndexOf(':');
        return colon > 0 && colon < authority.Length - 1;
    }

    private static string? String(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Range(JsonElement element, string name, int min, int max, int fallback, List<string> problems)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
        {
            problems.Add($"buffering.{name} must be between {min} and {max}");
            return fallback;
        }

        return number;
    }
}
