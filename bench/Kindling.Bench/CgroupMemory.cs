using System.Globalization;

namespace Kindling.Bench;

/// <summary>
/// Reads the memory charged to a server's sandboxes: their groups are <c>kindling/&lt;server pid&gt;/&lt;name&gt;</c>
/// under the server's own group in the memory hierarchy (cgroup v1) or the unified one (v2).
/// </summary>
internal sealed record CgroupMemory(string Name, long UsageBytes, long RssBytes, bool Frozen)
{
    public static IReadOnlyList<CgroupMemory> Read(int serverPid)
    {
        var groups = new List<CgroupMemory>();
        var lines = File.ReadLines($"/proc/{serverPid}/cgroup").Select(l => l.Split(':', 3)).ToList();
        var freezer = lines.FirstOrDefault(p => p[1].Split(',').Contains("freezer"))?[2] ?? "/";
        foreach (var parts in lines)
        {
            var v1 = parts[1].Split(',').Contains("memory");
            if (!v1 && !(parts[0] == "0" && parts[1].Length == 0))
            {
                continue;
            }

            var root = v1 ? "/sys/fs/cgroup/memory" : "/sys/fs/cgroup";
            var scope = Path.Combine(root + parts[2], "kindling", serverPid.ToString(CultureInfo.InvariantCulture));
            if (!Directory.Exists(scope))
            {
                continue;
            }

            foreach (var directory in Directory.EnumerateDirectories(scope))
            {
                var name = Path.GetFileName(directory);
                groups.Add(v1
                    ? new CgroupMemory(name, ReadLong(directory, "memory.usage_in_bytes"), Stat(directory, "total_rss"),
                        ReadText(Path.Combine("/sys/fs/cgroup/freezer" + freezer, "kindling", serverPid.ToString(CultureInfo.InvariantCulture), name, "freezer.state")) == "FROZEN")
                    : new CgroupMemory(name, ReadLong(directory, "memory.current"), Stat(directory, "anon"),
                        ReadText(Path.Combine(directory, "cgroup.events"))?.Contains("frozen 1", StringComparison.Ordinal) == true));
            }
        }

        return groups;
    }

    private static long ReadLong(string directory, string file) =>
        ReadText(Path.Combine(directory, file)) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : 0;

    private static long Stat(string directory, string key) =>
        ReadText(Path.Combine(directory, "memory.stat"))?.Split('\n').Select(l => l.Split(' ')).FirstOrDefault(p => p[0] == key) is { Length: 2 } pair
            ? long.Parse(pair[1], CultureInfo.InvariantCulture)
            : 0;

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
