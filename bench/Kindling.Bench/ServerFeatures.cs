using System.Diagnostics;
using System.Globalization;

namespace Kindling.Bench;

/// <summary>
/// The server options this build offers (read from <c>kindling server --help</c>), and the options the suite passes
/// with them: options a build lacks are not passed, so the suite runs against older and newer servers alike.
/// </summary>
internal sealed record ServerFeatures(bool MemoryBudget, bool ConcurrencyLimit, bool ScalingRate, IReadOnlyList<string> Arguments)
{
    /// <summary>
    /// The environments' memory budget the suite asks for: 500 × 128 MB idle environments and 64 × 1,024 MB warm
    /// ones do not fit physical memory minus 1 GiB on a 24 GB host, though their real use does. Overcommitted on purpose.
    /// </summary>
    public const long MemoryBudgetBytes = 80L << 30;

    public static async Task<ServerFeatures> DetectAsync(string binary, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(binary) { ArgumentList = { "server", "--help" }, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + binary);
        var help = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var budget = help.Contains("--memory-budget", StringComparison.Ordinal);
        var concurrency = help.Contains("--concurrency-limit", StringComparison.Ordinal);
        var rate = help.Contains("--scaling-rate", StringComparison.Ordinal);
        var arguments = new List<string>();
        if (budget)
        {
            arguments.AddRange(["--memory-budget", (MemoryBudgetBytes >> 30).ToString(CultureInfo.InvariantCulture) + "G"]);
        }

        return new ServerFeatures(budget, concurrency, rate, arguments);
    }

    /// <summary>The environments' memory budget the server will have: ours, or physical memory minus 1 GiB.</summary>
    public long EffectiveBudgetBytes => MemoryBudget ? MemoryBudgetBytes : MachineInfo.MemoryBytes() - (1L << 30);
}
