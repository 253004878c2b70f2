namespace Kindling.Functions;

/// <summary>Metadata store table names.</summary>
internal static class Tables
{
    public const string Function = "function";
    public const string FunctionMeta = "function-meta";
    public const string Alias = "alias";
    public const string Policy = "policy";
    public const string Layer = "layer";
    public const string LayerMeta = "layer-meta";
    public const string LayerPolicy = "layer-policy";
    public const string EventInvokeConfig = "event-invoke-config";
    public const string ProvisionedConcurrency = "provisioned-concurrency";
    public const string FunctionUrl = "function-url";
    public const string EventSourceMapping = "event-source-mapping";

    /// <summary>Sort key of a version: <c>$LATEST</c> sorts before the zero-padded numbers.</summary>
    public static string VersionKey(string version) =>
        version == "$LATEST" ? version : long.Parse(version, System.Globalization.CultureInfo.InvariantCulture).ToString("D10", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sort key of a numeric version.</summary>
    public static string VersionKey(long version) => version.ToString("D10", System.Globalization.CultureInfo.InvariantCulture);
}
