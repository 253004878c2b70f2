namespace Kindling.Worker.Telemetry;

/// <summary>Which subscription API a subscriber used: they differ in limits, errors and platform events.</summary>
[Flags]
internal enum TelemetryApi
{
    /// <summary><c>PUT /2022-07-01/telemetry</c>.</summary>
    Telemetry = 1,

    /// <summary><c>PUT /2020-08-15/logs</c>, the older Logs API.</summary>
    Logs = 2,

    /// <summary>Both APIs.</summary>
    Both = Telemetry | Logs,
}
