using System.Globalization;
using System.Text;

namespace Kindling.Sandbox.Cgroups;

/// <summary>
/// Finds the worker's own control groups from its mount table and <c>/proc/self/cgroup</c>, and picks the
/// driver: v2 when a cgroup2 hierarchy offers memory, cpu and pids (modern hosts), else v1 when memory, cpu,
/// pids and freezer are mounted (these machines: v1, with an empty cgroup2 beside it).
/// </summary>
internal static class CgroupDiscovery
{
    private static readonly string[] s_v1Required = ["memory", "cpu", "pids", "freezer"];
    private static readonly string[] s_v2Required = ["memory", "cpu", "pids"];

    /// <summary>The driver for this host.</summary>
    /// <exception cref="PlatformNotSupportedException">Neither version offers what sandboxes need.</exception>
    public static ICgroupDriver CreateDriver(CgroupPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var (v1, v2) = FindMounts(File.ReadAllText(paths.MountInfo), File.ReadAllText(paths.ProcessCgroups));
        if (v2 is not null && HasControllers(v2.OwnDirectory, s_v2Required))
        {
            return new CgroupV2Driver(v2.OwnDirectory, paths.GroupName, paths.Scope);
        }

        var byController = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mount in v1)
        {
            foreach (var controller in mount.Controllers)
            {
                byController[controller] = mount.OwnDirectory;
            }
        }

        var missing = s_v1Required.Where(c => !byController.ContainsKey(c)).ToArray();
        if (missing.Length > 0)
        {
            throw new PlatformNotSupportedException(
                $"No usable control groups: cgroup v2 lacks memory/cpu/pids and cgroup v1 lacks {string.Join(", ", missing)}.");
        }

        return new CgroupV1Driver(byController, paths.GroupName, paths.Scope);
    }

    /// <summary>Parses the mount table and the process's group list.</summary>
    public static (IReadOnlyList<CgroupMount> V1, CgroupMount? V2) FindMounts(string mountInfo, string processCgroups)
    {
        ArgumentNullException.ThrowIfNull(mountInfo);
        ArgumentNullException.ThrowIfNull(processCgroups);

        // "hierarchy-id:controller,list:/path"; v2 is "0::/path"; named v1 hierarchies are "N:name=x:/path".
        var ownPaths = new Dictionary<string, string>(StringComparer.Ordinal);
        string? unifiedPath = null;
        foreach (var line in processCgroups.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            if (parts[0] == "0" && parts[1].Length == 0)
            {
                unifiedPath = parts[2];
                continue;
            }

            foreach (var controller in parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                ownPaths[controller] = parts[2];
            }
        }

        var v1 = new List<CgroupMount>();
        CgroupMount? v2 = null;
        foreach (var line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // id parent major:minor root mount-point options [optional fields...] - type source super-options
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (separator < 6 || fields.Length < separator + 4)
            {
                continue;
            }

            var root = Unescape(fields[3]);
            var mountPoint = Unescape(fields[4]);
            var type = fields[separator + 1];
            if (type == "cgroup2" && unifiedPath is not null && v2 is null)
            {
                v2 = new CgroupMount(new HashSet<string>(), Join(mountPoint, root, unifiedPath));
            }
            else if (type == "cgroup")
            {
                var controllers = fields[separator + 3].Split(',')
                    .Where(o => o is not ("rw" or "ro") && !o.Contains('=', StringComparison.Ordinal))
                    .ToHashSet(StringComparer.Ordinal);
                var own = controllers.Select(c => ownPaths.GetValueOrDefault(c)).FirstOrDefault(p => p is not null);
                if (controllers.Count > 0 && own is not null)
                {
                    v1.Add(new CgroupMount(controllers, Join(mountPoint, root, own)));
                }
            }
        }

        return (v1, v2);
    }

    private static bool HasControllers(string directory, string[] required)
    {
        var file = Path.Combine(directory, "cgroup.controllers");
        if (!File.Exists(file))
        {
            return false;
        }

        var available = File.ReadAllText(file).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return required.All(available.Contains);
    }

    /// <summary>The directory of group <paramref name="path"/> in a hierarchy whose <paramref name="root"/> is mounted at <paramref name="mountPoint"/>.</summary>
    private static string Join(string mountPoint, string root, string path)
    {
        var relative = path;
        if (root != "/" && (path == root || path.StartsWith(root + "/", StringComparison.Ordinal)))
        {
            relative = path[root.Length..];
        }

        return Path.TrimEndingDirectorySeparator(mountPoint + "/" + relative.TrimStart('/'));
    }

    /// <summary>Decodes mountinfo's octal escapes (<c>\040</c> is a space).</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var builder = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length
                && int.TryParse(field.AsSpan(i + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                builder.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                builder.Append(field[i]);
            }
        }

        return builder.ToString();
    }
}
