using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kindling.Functions;

/// <summary>The JSON settings of Lambda's REST-JSON protocol: exact member names, nulls omitted.</summary>
public static class LambdaJson
{
    /// <summary>Options for requests, responses and stored documents.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.General)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = false,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
