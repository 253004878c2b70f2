using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Kindling.Worker.Telemetry;

/// <summary>
/// The events of the Telemetry API (schema 2022-12-13) and of the Logs API, in the documented shapes:
/// <c>{"time":"2022-10-12T00:00:15.064Z","type":"platform.start","record":{…}}</c>.
/// </summary>
internal static class TelemetryRecords
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TelemetryEvent InitStart(DateTimeOffset time, string initializationType, string phase, string runtimeVersion, string runtimeVersionArn, string functionName, string functionVersion)
        => Platform(time, "platform.initStart", TelemetryApi.Telemetry, w =>
        {
            w.WriteString("initializationType"u8, initializationType);
            w.WriteString("phase"u8, phase);
            w.WriteString("runtimeVersion"u8, runtimeVersion);
            w.WriteString("runtimeVersionArn"u8, runtimeVersionArn);
            w.WriteString("functionName"u8, functionName);
            w.WriteString("functionVersion"u8, functionVersion);
        });

    public static TelemetryEvent InitRuntimeDone(DateTimeOffset time, string initializationType, string phase, string status, string? errorType)
        => Platform(time, "platform.initRuntimeDone", TelemetryApi.Telemetry, w =>
        {
            w.WriteString("initializationType"u8, initializationType);
            w.WriteString("phase"u8, phase);
            w.WriteString("status"u8, status);
            if (errorType is not null)
            {
                w.WriteString("errorType"u8, errorType);
            }
        });

    public static TelemetryEvent InitReport(DateTimeOffset time, string initializationType, string phase, string status, string? errorType, double durationMs)
        => Platform(time, "platform.initReport", TelemetryApi.Telemetry, w =>
        {
            w.WriteString("initializationType"u8, initializationType);
            w.WriteString("phase"u8, phase);
            w.WriteString("status"u8, status);
            if (errorType is not null)
            {
                w.WriteString("errorType"u8, errorType);
            }

            w.WriteStartObject("metrics"u8);
            w.WriteNumber("durationMs"u8, Round(durationMs));
            w.WriteEndObject();
        });

    public static TelemetryEvent Start(DateTimeOffset time, TelemetryApi api, string requestId, string version, string? traceId)
        => Platform(time, "platform.start", api, w =>
        {
            w.WriteString("requestId"u8, requestId);
            w.WriteString("version"u8, version);
            if (api == TelemetryApi.Telemetry && !string.IsNullOrEmpty(traceId))
            {
                w.WriteStartObject("tracing"u8);
                w.WriteString("type"u8, "X-Amzn-Trace-Id");
                w.WriteString("value"u8, traceId);
                w.WriteEndObject();
            }
        });

    public static TelemetryEvent RuntimeDone(
        DateTimeOffset time, string requestId, string status, string? errorType, double durationMs, long producedBytes, DateTimeOffset responseStart)
        => Platform(time, "platform.runtimeDone", TelemetryApi.Telemetry, w =>
        {
            w.WriteString("requestId"u8, requestId);
            w.WriteString("status"u8, status);
            if (errorType is not null)
            {
                w.WriteString("errorType"u8, errorType);
            }

            w.WriteStartObject("metrics"u8);
            w.WriteNumber("durationMs"u8, Round(durationMs));
            w.WriteNumber("producedBytes"u8, producedBytes);
            w.WriteEndObject();
            w.WriteStartArray("spans"u8);
            w.WriteStartObject();
            w.WriteString("name"u8, "responseLatency");
            w.WriteString("start"u8, Timestamp(responseStart));
            w.WriteNumber("durationMs"u8, Round(durationMs));
            w.WriteEndObject();
            w.WriteEndArray();
        });

    public static TelemetryEvent End(DateTimeOffset time, string requestId)
        => Platform(time, "platform.end", TelemetryApi.Logs, w => w.WriteString("requestId"u8, requestId));

    public static TelemetryEvent Report(
        DateTimeOffset time, TelemetryApi api, string requestId, string status, string? errorType, double durationMs, long billedMs,
        int memorySizeMb, long maxMemoryUsedMb, double? initDurationMs)
        => Platform(time, "platform.report", api, w =>
        {
            w.WriteString("requestId"u8, requestId);
            if (api == TelemetryApi.Telemetry)
            {
                w.WriteString("status"u8, status);
                if (errorType is not null)
                {
                    w.WriteString("errorType"u8, errorType);
                }
            }

            w.WriteStartObject("metrics"u8);
            w.WriteNumber("durationMs"u8, Round(durationMs));
            w.WriteNumber("billedDurationMs"u8, billedMs);
            w.WriteNumber("memorySizeMB"u8, memorySizeMb);
            w.WriteNumber("maxMemoryUsedMB"u8, maxMemoryUsedMb);
            if (initDurationMs is { } init)
            {
                w.WriteNumber("initDurationMs"u8, Round(init));
            }

            w.WriteEndObject();
        });

    public static TelemetryEvent Extension(DateTimeOffset time, string name, string state, IReadOnlyList<string> events)
        => Platform(time, "platform.extension", TelemetryApi.Both, w =>
        {
            w.WriteString("name"u8, name);
            w.WriteString("state"u8, state);
            w.WriteStartArray("events"u8);
            foreach (var e in events)
            {
                w.WriteStringValue(e);
            }

            w.WriteEndArray();
        });

    public static TelemetryEvent Subscription(DateTimeOffset time, TelemetryApi api, string name, IReadOnlyList<string> types)
        => Platform(time, api == TelemetryApi.Logs ? "platform.logsSubscription" : "platform.telemetrySubscription", api, w =>
        {
            w.WriteString("name"u8, name);
            w.WriteString("state"u8, "Subscribed");
            w.WriteStartArray("types"u8);
            foreach (var t in types)
            {
                w.WriteStringValue(t);
            }

            w.WriteEndArray();
        });

    public static byte[] LogsDropped(DateTimeOffset time, long records, long bytes)
        => Platform(time, "platform.logsDropped", TelemetryApi.Both, w =>
        {
            w.WriteString("reason"u8, "Consumer seems to have fallen behind as it has not acknowledged receipt of logs.");
            w.WriteNumber("droppedRecords"u8, records);
            w.WriteNumber("droppedBytes"u8, bytes);
        }).Json;

    /// <summary>
    /// A line of the function (<c>function</c>) or of an extension (<c>extension</c>): the record is the line as a
    /// string, or, for JSON-format logs, the line's JSON object.
    /// </summary>
    public static TelemetryEvent Line(DateTimeOffset time, bool extension, ReadOnlySpan<byte> line, bool json)
    {
        var buffer = new ArrayBufferWriter<byte>(line.Length + 96);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            writer.WriteStartObject();
            writer.WriteString("time"u8, Timestamp(time));
            writer.WriteString("type"u8, extension ? "extension"u8 : "function"u8);
            writer.WritePropertyName("record"u8);
            if (json && IsJsonObject(line))
            {
                writer.WriteRawValue(line, skipInputValidation: true);
            }
            else
            {
                writer.WriteStringValue(line);
            }

            writer.WriteEndObject();
        }

        return new TelemetryEvent(extension ? TelemetryTypes.Extension : TelemetryTypes.Function, TelemetryApi.Both, buffer.WrittenSpan.ToArray());
    }

    public static string Timestamp(DateTimeOffset time)
        => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static bool IsJsonObject(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty || line[0] != (byte)'{')
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(line);
            reader.Read();
            reader.Skip();
            return reader.BytesConsumed == line.TrimEnd(" \r\t"u8).Length;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static double Round(double value) => Math.Round(value, 3);

    private static TelemetryEvent Platform(DateTimeOffset time, string type, TelemetryApi apis, Action<Utf8JsonWriter> record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            writer.WriteStartObject();
            writer.WriteString("time"u8, Timestamp(time));
            writer.WriteString("type"u8, type);
            writer.WriteStartObject("record"u8);
            record(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return new TelemetryEvent(TelemetryTypes.Platform, apis, buffer.WrittenSpan.ToArray());
    }
}
