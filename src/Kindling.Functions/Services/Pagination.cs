using System.Text;
using Kindling.Functions.Errors;
using Kindling.Storage.Metadata;

namespace Kindling.Functions.Services;

/// <summary>Opaque <c>Marker</c>/<c>NextMarker</c> values: the last key of the previous page.</summary>
public static class Pagination
{
    /// <summary>Encodes the key a page ended at.</summary>
    public static string EncodeKey(ItemKey key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(key.Partition + "\n" + key.Sort));

    /// <summary>Decodes a marker; null for none; an unreadable one is an InvalidParameterValueException.</summary>
    public static ItemKey? DecodeKey(string? marker)
    {
        if (string.IsNullOrEmpty(marker))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(marker));
            var split = text.IndexOf('\n', StringComparison.Ordinal);
            if (split >= 0)
            {
                return new ItemKey(text[..split], text[(split + 1)..]);
            }
        }
        catch (FormatException)
        {
        }

        throw LambdaErrors.InvalidParameter("Invalid marker: " + marker);
    }

    /// <summary>Pages an in-memory, ordered list with a numeric-offset marker.</summary>
    public static (IReadOnlyList<T> Page, string? NextMarker) Page<T>(IReadOnlyList<T> items, string? marker, int? maxItems, int defaultMax = 50)
    {
        var start = 0;
        if (!string.IsNullOrEmpty(marker) && (!int.TryParse(marker, System.Globalization.CultureInfo.InvariantCulture, out start) || start < 0))
        {
            throw LambdaErrors.InvalidParameter("Invalid marker: " + marker);
        }

        var count = maxItems ?? defaultMax;
        var page = items.Skip(start).Take(count).ToList();
        var next = start + page.Count < items.Count ? (start + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return (page, next);
    }
}
