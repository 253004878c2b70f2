using System.Globalization;

namespace Kindling.Bench;

/// <summary>
/// Waits for the host's CPUs to go idle. A stopped server's sandboxes keep the kernel busy for seconds after it
/// exits (network namespaces, control groups and loop devices are torn down by kernel workers), which would
/// otherwise be measured as part of the next scenario.
/// </summary>
internal static class MachineQuiet
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(250);

    /// <summary>Waits until a 250 ms window is at least 90% idle, or <paramref name="limit"/> passes.</summary>
    /// <returns>How long it waited.</returns>
    public static async Task<TimeSpan> WaitAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var (busy, total) = Sample();
        while (DateTime.UtcNow - started < limit)
        {
            await Task.Delay(Window, cancellationToken);
            var (nextBusy, nextTotal) = Sample();
            var idle = 1 - (double)(nextBusy - busy) / Math.Max(1, nextTotal - total);
            (busy, total) = (nextBusy, nextTotal);
            if (idle >= 0.9)
            {
                break;
            }
        }

        return DateTime.UtcNow - started;
    }

    /// <summary>Busy and total jiffies over every CPU (/proc/stat's first line; idle and iowait count as idle).</summary>
    private static (long Busy, long Total) Sample()
    {
        using var reader = new StreamReader("/proc/stat");
        var fields = reader.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Sum();
        return (total - fields[3] - fields[4], total);
    }
}
