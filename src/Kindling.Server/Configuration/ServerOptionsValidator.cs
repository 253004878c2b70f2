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

        return problems;
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
