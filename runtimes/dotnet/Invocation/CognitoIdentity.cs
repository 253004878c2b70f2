using System.Text.Json;
using Amazon.Lambda.Core;

namespace Kindling.Runtime.Dotnet.Invocation;

/// <summary>The decoded <c>Lambda-Runtime-Cognito-Identity</c> header.</summary>
internal sealed class CognitoIdentity : ICognitoIdentity
{
    public string? IdentityId { get; private init; }

    public string? IdentityPoolId { get; private init; }

    public static CognitoIdentity? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return root.ValueKind != JsonValueKind.Object ? null : new CognitoIdentity
            {
                IdentityId = Text(root, "cognitoIdentityId"),
                IdentityPoolId = Text(root, "cognitoIdentityPoolId"),
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
