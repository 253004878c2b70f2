using System.Text.Json;
using Amazon.Lambda.Core;

namespace Kindling.Runtime.Dotnet.Invocation;

/// <summary>The decoded <c>Lambda-Runtime-Client-Context</c> header: <c>{"client": {...}, "custom": {...}, "env": {...}}</c>.</summary>
internal sealed class ClientContext : IClientContext
{
    public IDictionary<string, string> Environment { get; private init; } = new Dictionary<string, string>();

    public IClientApplication Client { get; private init; } = new ClientApplication();

    public IDictionary<string, string> Custom { get; private init; } = new Dictionary<string, string>();

    public static ClientContext? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new ClientContext
            {
                Environment = Map(root, "env"),
                Custom = Map(root, "custom"),
                Client = root.TryGetProperty("client", out var client) && client.ValueKind == JsonValueKind.Object
                    ? new ClientApplication
                    {
                        InstallationId = Text(client, "installation_id"),
                        AppTitle = Text(client, "app_title"),
                        AppVersionName = Text(client, "app_version_name"),
                        AppVersionCode = Text(client, "app_version_code"),
                        AppPackageName = Text(client, "app_package_name"),
                    }
                    : new ClientApplication(),
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Dictionary<string, string> Map(JsonElement root, string name)
    {
        var map = new Dictionary<string, string>();
        if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                map[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        return map;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed class ClientApplication : IClientApplication
    {
        public string? AppPackageName { get; init; }

        public string? AppTitle { get; init; }

        public string? AppVersionCode { get; init; }

        public string? AppVersionName { get; init; }

        public string? InstallationId { get; init; }
    }
}
