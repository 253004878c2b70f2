using System.Net;
using System.Text.RegularExpressions;

namespace Kindling.Server.Configuration;

/// <summary>Checks the settings at start-up, with messages a person can act on.</summary>
internal static partial class ServerOptionsValidator
{
    public static IReadOnlyList<string> Validate(ServerOptions options)
    {
        var problems = new List<string>();
        if (!TryParseListen(options.Listen, out _, out _))
        {
            problems.Add($"--listen '{options.Listen}' is not HOST:PORT (for example 127.0.0.1:9000).");
        }

        if (!RegionRegex().IsMatch(options.Region))
        {
            problems.Add($"--region '{options.Region}' is not a region name such as us-east-1.");
        }

        if (!AccountRegex().IsMatch(options.AccountId))
        {
            problems.Add($"--account-id '{options.AccountId}' must be 12 digits.");
        }

        if ((options.AccessKeyId is null) != (options.SecretAccessKey is null))
        {
            problems.Add("--access-key-id and --secret-access-key go together: give both or neither.");
        }

        if (!TryParseScale(options.AsyncRetryScale, out _))
        {
            problems.Add($"--async-retry-scale '{options.AsyncRetryScale}' must be a number from 0 to 1.");
        }

        if (!TryParseCount(options.ConcurrencyLimit, out _))
        {
            problems.Add($"--concurrency-limit '{options.ConcurrencyLimit}' must be a whole number from 1 to {MaxCount}.");
        }

        if (!TryParseCount(options.ScalingRate, out _))
        {
            problems.Add($"--scaling-rate '{options.ScalingRate}' must be a whole number from 1 to {MaxCount}.");
        }

        if (options.MemoryBudget is { } budget && !TryParseSize(budget, out _))
        {
            problems.Add($"--memory-budget '{budget}' must be a size of at least 128M, in bytes or with K, M or G (for example 64G).");
        }

        if (!TryParsePrestarted(options.Prestarted, out _))
        {
            problems.Add($"--prestarted '{options.Prestarted}' must be a whole number from 0 to {MaxPrestarted}.");
        }

        if (options.RoutingSeed is { } seed && !int.TryParse(seed, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            problems.Add($"--routing-seed '{seed}' must be a whole number.");
        }

        return problems;
    }

    private const int MaxCount = 1_000_000;
    private const int MaxPrestarted = 64;

    public static bool TryParsePrestarted(string text, out int count) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count) && count is >= 0 and <= MaxPrestarted;

    public static bool TryParseCount(string text, out int count) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count) && count is >= 1 and <= MaxCount;

    /// <summary>Parses a size such as <c>68719476736</c>, <c>512M</c> or <c>64G</c> (binary units) of at least 128 MiB.</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var trimmed = text.Trim();
        var shift = trimmed.Length == 0 ? 0 : char.ToUpperInvariant(trimmed[^1]) switch { 'K' => 10, 'M' => 20, 'G' => 30, _ => 0 };
        var digits = shift == 0 ? trimmed : trimmed[..^1];
        if (!long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value > (long.MaxValue >> shift))
        {
            return false;
        }

        bytes = value << shift;
        return bytes >= 128L << 20;
    }

    public static bool TryParseScale(string text, out double scale) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out scale) && scale is >= 0 and <= 1;

    public static bool TryParseListen(string listen, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = listen.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(listen[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out port) || port is < 0 or > 65535)
        {
            return false;
        }

        host = listen[..colon].Trim('[', ']');
        return host == "localhost" || IPAddress.TryParse(host, out _);
    }

    [GeneratedRegex(@"^[a-z]{2}(-gov)?-[a-z]+-\d{1}$")]
    private static partial Regex RegionRegex();

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountRegex();
}
