namespace Kindling.Worker.Logs;

/// <summary>Events read from a log stream, and where to continue.</summary>
/// <param name="Events">The events, oldest first.</param>
/// <param name="NextPosition">
/// Pass it to the next read to get only later events (a line still being written is left for that read).
/// </param>
public sealed record LogReadResult(IReadOnlyList<LogEvent> Events, long NextPosition);
