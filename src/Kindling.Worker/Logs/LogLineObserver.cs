namespace Kindling.Worker.Logs;

/// <summary>Sees each line the runtime's processes wrote, once it is complete (telemetry's function and extension streams).</summary>
/// <param name="line">The line, without its line break (and without the extensions launcher's mark).</param>
/// <param name="extension">Whether an extension wrote it.</param>
internal delegate void LogLineObserver(ReadOnlySpan<byte> line, bool extension);
