using System.Globalization;

namespace Kindling.Sandbox.Interop;

/// <summary>
/// Names the directories one worker process owns (its pid), so that several workers can share a host, a
/// state directory and control-group parents, and a restarted worker can remove what a dead one left behind
/// without touching a live one's sandboxes.
/// </summary>
internal static class WorkerScope
{
    /// <summary>This process's scope name.</summary>
    public static string Current { get; } = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The scope directories under <paramref name="parent"/> whose process no longer runs.</summary>
    public static IEnumerable<string> FindStale(string parent)
    {
        if (!Directory.Exists(parent))
        {
            return [];
        }

        return Directory.EnumerateDirectories(parent)
            .Where(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && !Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture)))
            .ToList();
    }
}
