using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kindling.Runtime.Dotnet.Logging;

/// <summary>
/// One JSON log line as AWS's .NET runtime writes it: <c>timestamp</c>, <c>level</c> (the full level name),
/// <c>requestId</c>, <c>traceId</c>, <c>message</c>, then the template's properties as top-level fields, then
/// <c>errorType</c>/<c>errorMessage</c>/<c>stackTrace</c> of an exception.
/// </summary>
internal static class JsonLogFormatter
{
    public static string Format(DateTime time, LogLevel level, string requestId, string? traceId, string template,
        object?[]? args, Exception? exception)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("timestamp", RuntimeApi.Ascii.FormatTimestamp(time));
            writer.WriteString("level", level.ToString());
            if (!string.IsNullOrEmpty(requestId))
            {
                writer.WriteString("requestId", requestId);
            }

            if (!string.IsNullOrEmpty(traceId))
            {
                writer.WriteString("traceId", traceId);
            }

            writer.WriteString("message", MessageTemplate.Apply(template, args));
            if (args is { Length: > 0 })
            {
                WriteProperties(writer, template, args);
            }

            if (exception is not null)
            {
                writer.WriteString("errorType", exception.GetType().FullName);
                writer.WriteString("errorMessage", exception.Message);
                writer.WriteStartArray("stackTrace");
                foreach (var line in exception.ToString().Split('\n'))
                {
                    writer.WriteStringValue(line.Trim());
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteProperties(Utf8JsonWriter writer, string template, object?[] args)
    {
        var properties = MessageTemplate.Parse(template);
        var positional = MessageTemplate.IsPositional(properties);
        for (var i = 0; i < properties.Count; i++)
        {
            if (!positional && i >= args.Length)
            {
                break;
            }

            if (!MessageTemplate.TryGetArgument(properties, i, args, positional, out var argument) || argument is null)
            {
                continue;
            }

            writer.WritePropertyName(properties[i].Name);
            switch (argument)
            {
                case IDictionary dictionary:
                    writer.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        writer.WritePropertyName(entry.Key.ToString() ?? "");
                        WriteValue(writer, entry.Value, properties[i].Format);
                    }

                    writer.WriteEndObject();
                    break;
                case IList list and not IList<byte>:
                    writer.WriteStartArray();
                    foreach (var item in list)
                    {
                        WriteValue(writer, item, properties[i].Format);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    WriteValue(writer, argument, properties[i].Format);
                    break;
            }
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, string? format)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        if (format is not null)
        {
            writer.WriteStringValue(MessageTemplate.FormatValue(value, format));
            return;
        }

        switch (value)
        {
            case bool b: writer.WriteBooleanValue(b); break;
            case byte n: writer.WriteNumberValue(n); break;
            case sbyte n: writer.WriteNumberValue(n); break;
            case short n: writer.WriteNumberValue(n); break;
            case ushort n: writer.WriteNumberValue(n); break;
            case int n: writer.WriteNumberValue(n); break;
            case uint n: writer.WriteNumberValue(n); break;
            case long n: writer.WriteNumberValue(n); break;
            case ulong n: writer.WriteNumberValue(n); break;
            case float n: writer.WriteNumberValue(n); break;
            case double n: writer.WriteNumberValue(n); break;
            case decimal n: writer.WriteNumberValue(n); break;
            case DateTime d: writer.WriteStringValue(d.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)); break;
            case DateTimeOffset d: writer.WriteStringValue(d.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture)); break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }
}
