namespace Kindling.Worker.Logs;

/// <summary>One log stream of a function: one execution environment's log.</summary>
/// <param name="Name">The stream's name, as Lambda makes it: <c>2025/11/22/[$LATEST]0123…</c>.</param>
/// <param name="LastWriteTime">When the stream was last written (UTC).</param>
/// <param name="SizeBytes">Its size; reading from this position returns only events written later.</param>
public sealed record LogStreamInfo(string Name, DateTimeOffset LastWriteTime, long SizeBytes);
