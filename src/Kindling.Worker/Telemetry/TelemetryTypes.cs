namespace Kindling.Worker.Telemetry;

/// <summary>The streams a subscriber chose (<c>types</c>).</summary>
[Flags]
internal enum TelemetryTypes
{
    None = 0,
    Platform = 1,
    Function = 2,
    Extension = 4,
}
