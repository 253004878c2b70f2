using System.Buffers;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Kindling.Runtime.Dotnet.Invocation;

/// <summary>
/// The error document of AWS's .NET runtime: <c>errorType</c> (the exception type's short name), <c>errorMessage</c>,
/// <c>stackTrace</c> (one trimmed frame per element), then <c>cause</c> (the inner exception, recursively) and
/// <c>causes</c> (an AggregateException's inner exceptions), indented by two spaces.
/// </summary>
internal static class ErrorDocument
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(Exception exception)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            WriteException(writer, exception);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteException(Utf8JsonWriter writer, Exception exception)
    {
        writer.WriteStartObject();
        writer.WriteString("errorType", exception.GetType().Name);
        writer.WriteString("errorMessage", exception.Message);
        if (!string.IsNullOrEmpty(exception.StackTrace))
        {
            var frames = new StackTrace(exception, fNeedFileInfo: true).ToString()
                .Split(Environment.NewLine)
                .Select(line => line.Trim())
                .Where(line => line.Length > 0)
                .ToArray();
            if (frames.Length > 0)
            {
                writer.WriteStartArray("stackTrace");
                foreach (var frame in frames)
                {
                    writer.WriteStringValue(frame);
                }

                writer.WriteEndArray();
            }
        }

        if (exception.InnerException is { } inner)
        {
            writer.WritePropertyName("cause");
            WriteException(writer, inner);
        }

        if (exception is AggregateException { InnerExceptions.Count: > 0 } aggregate)
        {
            writer.WriteStartArray("causes");
            foreach (var each in aggregate.InnerExceptions)
            {
                WriteException(writer, each);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
