using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kindling.Invocation.Async;

/// <summary>
/// The invocation record Lambda sends to an OnSuccess or OnFailure destination: <c>version</c>, <c>timestamp</c>,
/// <c>requestContext</c> (request id, qualified function ARN, condition, approximate invoke count),
/// <c>requestPayload</c>, <c>responseContext</c> (status, executed version, function error) and <c>responsePayload</c>.
/// </summary>
internal static class DestinationRecord
{
    /// <summary>The outcome of the last invocation, or null when the event never reached the function.</summary>
    public sealed record Response(int StatusCode, string ExecutedVersion, string? FunctionError, ReadOnlyMemory<byte> Payload);

    public static byte[] Build(
        DateTimeOffset timestamp, string requestId, string functionArn, string condition, int invokeCount, ReadOnlyMemory<byte> requestPayload, Response? response)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("version", "1.0");
            json.WriteString("timestamp", timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteStartObject("requestContext");
            json.WriteString("requestId", requestId);
            json.WriteString("functionArn", functionArn);
            json.WriteString("condition", condition);
            json.WriteNumber("approximateInvokeCount", invokeCount);
            json.WriteEndObject();
            json.WritePropertyName("requestPayload");
            WriteJsonOrString(json, requestPayload.Span);
            if (response is not null)
            {
                json.WriteStartObject("responseContext");
                json.WriteNumber("statusCode", response.StatusCode);
                json.WriteString("executedVersion", response.ExecutedVersion);
                if (response.FunctionError is not null)
                {
                    json.WriteString("functionError", response.FunctionError);
                }

                json.WriteEndObject();
                json.WritePropertyName("responsePayload");
                WriteJsonOrString(json, response.Payload.Span);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    // A JSON result is embedded as JSON; anything else (a runtime may return raw bytes) as a string; nothing as null.
    private static void WriteJsonOrString(Utf8JsonWriter json, ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            json.WriteNullValue();
            return;
        }

        try
        {
            json.WriteRawValue(payload, skipInputValidation: false);
        }
        catch (JsonException)
        {
            json.WriteStringValue(Encoding.UTF8.GetString(payload));
        }
    }
}
