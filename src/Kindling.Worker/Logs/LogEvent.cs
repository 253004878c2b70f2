namespace Kindling.Worker.Logs;

/// <summary>One log event: a line the function (or the platform) wrote, and when it was written.</summary>
/// <param name="Timestamp">When the worker received the line (UTC, millisecond precision).</param>
/// <param name="Message">The line, without its line break.</param>
public sealed record LogEvent(DateTimeOffset Timestamp, string Message);
