namespace Kindling.Worker.Telemetry;

/// <summary>One encoded event (<c>{"time","type","record"}</c>), the stream it belongs to and the APIs that carry it.</summary>
internal sealed record TelemetryEvent(TelemetryTypes Stream, TelemetryApi Apis, byte[] Json);
