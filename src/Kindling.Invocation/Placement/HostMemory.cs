using System.Globalization;

namespace Kindling.Invocation.Placement;

/// <summary>The host's physical memory, and the budget placement packs environments into.</summary>
internal static class HostMemory
{
    /// <summary>Where Linux reports the physical memory.</summary>
    public const string MemInfoPath = "/proc/meminfo";

    /// <summary>The smallest budget worth running with: one environment of Lambda's minimum memory size.</summary>
    public const long MinimumBudgetBytes = 128L * 1024 * 1024;

    /// <summary>Reads <c>MemTotal</c> (in kB) from a meminfo file and returns it in bytes.</summary>
    public static long ReadTotalBytes(string memInfoPath)
    {
        foreach (var line in File.ReadLines(memInfoPath))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line["MemTotal:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2 && fields[1] == "kB" && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes))
            {
                return kilobytes * 1024;
            }

            break;
        }

        throw new InvalidOperationException($"Kindling could not read the host's memory: no 'MemTotal: N kB' line in {memInfoPath}.");
    }

    /// <summary>
    /// The memory budget: the host's memory (given, or read from <paramref name="physicalMemory"/> only when not
    /// given) minus the reserve kept for the operating system and Kindling itself.
    /// </summary>
    public static long Budget(long? hostMemoryBytes, long reserveBytes, Func<long> physicalMemory)
    {
        var host = hostMemoryBytes ?? physicalMemory();
        var budget = host - reserveBytes;
        if (budget < MinimumBudgetBytes)
        {
            throw new InvalidOperationException(
                $"Kindling's memory budget for execution environments is {budget / Mb} MB ({host / Mb} MB of host memory minus a {reserveBytes / Mb} MB reserve); it must be at least {MinimumBudgetBytes / Mb} MB.");
        }

        return budget;
    }

    private const long Mb = 1024 * 1024;
}
