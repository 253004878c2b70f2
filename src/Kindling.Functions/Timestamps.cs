using System.Globalization;

namespace Kindling.Functions;

/// <summary>Lambda's two timestamp encodings.</summary>
public static class Timestamps
{
    /// <summary>The string form of FunctionConfiguration.LastModified: <c>2020-04-10T19:06:32.563+0000</c>.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    /// <summary>The epoch-seconds form (event source mappings, event invoke configs).</summary>
    public static double Epoch(DateTimeOffset time) => Math.Round(time.ToUnixTimeMilliseconds() / 1000.0, 3);
}
