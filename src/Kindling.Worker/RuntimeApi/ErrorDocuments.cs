using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Kindling.Worker.RuntimeApi;

/// <summary>Error documents: reading a runtime's, writing the platform's own.</summary>
internal static class ErrorDocuments
{
    /// <summary>Lambda's messages keep quotes and apostrophes as they are ("Couldn't find…").</summary>
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The top-level <c>errorType</c> string of a JSON error document, or null.</summary>
    public static string? ReadErrorType(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("errorType"u8);
                if (!reader.Read())
                {
                    return null;
                }

                if (isType && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary><c>{"errorType":…,"errorMessage":…}</c>, in that order, as Lambda writes platform errors.</summary>
    public static byte[] TypeThenMessage(string errorType, string errorMessage)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + errorMessage.Length);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("errorType"u8, errorType);
            writer.WriteString("errorMessage"u8, errorMessage);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>{"errorMessage":…,"errorType":…}</c>, in that order (Lambda's Function.ResponseSizeTooLarge).</summary>
    public static byte[] MessageThenType(string errorMessage, string errorType)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + errorMessage.Length);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage"u8, errorMessage);
            writer.WriteString("errorType"u8, errorType);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
