using System.Text.RegularExpressions;
using Kindling.Functions.Errors;

namespace Kindling.Functions.Arns;

/// <summary>
/// A function named the ways Lambda accepts: <c>name</c>, <c>name:qualifier</c>,
/// <c>123456789012:function:name[:qualifier]</c> or <c>arn:aws:lambda:region:account:function:name[:qualifier]</c>.
/// </summary>
public sealed partial record FunctionReference(string Name, string? Qualifier)
{
    /// <summary>The pattern AWS publishes for the FunctionName member.</summary>
    public const string Pattern =
        @"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?";

    /// <summary>
    /// Parses a function name. Returns null when it does not match the pattern at all (a validation error);
    /// throws when it names another region or account.
    /// </summary>
    public static FunctionReference? TryParse(string value, AccountContext account)
    {
        if (value.Length is 0 or > 170)
        {
            return null;
        }

        var match = FullPattern().Match(value);
        if (!match.Success)
        {
            return null;
        }

        var region = match.Groups["region"].Value;
        var accountId = match.Groups["account"].Value;
        var name = match.Groups["name"].Value;
        var qualifier = match.Groups["qualifier"].Success ? match.Groups["qualifier"].Value : null;

        if (name.Length > 64)
        {
            return null;
        }

        if ((region.Length > 0 && !string.Equals(region, account.Region, StringComparison.Ordinal))
            || (accountId.Length > 0 && !string.Equals(accountId, account.AccountId, StringComparison.Ordinal)))
        {
            throw LambdaErrors.AccessDenied(
                $"User is not authorized to access the function in region '{(region.Length > 0 ? region : account.Region)}' and account '{(accountId.Length > 0 ? accountId : account.AccountId)}'.");
        }

        return new FunctionReference(name, qualifier);
    }

    [GeneratedRegex(
        @"^(?<arn>arn:(aws[a-zA-Z-]*)?:lambda:(?<region>[a-z]{2}(-gov)?-[a-z]+-\d{1}):)?((?<account>\d{12}):)?(?<function>function:)?(?<name>[a-zA-Z0-9-_]+)(:(?<qualifier>\$LATEST|[a-zA-Z0-9-_]+))?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex FullPattern();
}
