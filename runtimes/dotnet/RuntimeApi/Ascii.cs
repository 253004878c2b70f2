namespace Kindling.Runtime.Dotnet.RuntimeApi;

/// <summary>
/// Integer parsing and formatting for protocol text without touching CultureInfo: the first culture-aware call
/// initializes globalization (ICU for most functions), which belongs to the function's time, not the runtime's.
/// </summary>
internal static class Ascii
{
    public static bool TryParse(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        text = text.Trim();
        if (text.IsEmpty || text.Length > 18)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = value * 10 + (c - '0');
        }

        return true;
    }

    public static int ParseInt(ReadOnlySpan<char> text) =>
        TryParse(text, out var value) && value <= int.MaxValue ? (int)value : throw new FormatException($"Not a number: '{text}'.");

    public static string Format(long value)
    {
        Span<char> digits = stackalloc char[20];
        var i = digits.Length;
        do
        {
            digits[--i] = (char)('0' + (int)(value % 10));
            value /= 10;
        }
        while (value > 0);
        return new string(digits[i..]);
    }

    /// <summary>Lower-cases ASCII letters (header names); ToLowerInvariant would initialize globalization.</summary>
    public static string ToLower(ReadOnlySpan<char> text)
    {
        Span<char> lower = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            lower[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
        }

        return new string(lower);
    }

    /// <summary>Formats a UTC time as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    public static string FormatTimestamp(DateTime time)
    {
        Span<char> text = stackalloc char[24];
        Digits(text[..4], time.Year);
        text[4] = '-';
        Digits(text.Slice(5, 2), time.Month);
        text[7] = '-';
        Digits(text.Slice(8, 2), time.Day);
        text[10] = 'T';
        Digits(text.Slice(11, 2), time.Hour);
        text[13] = ':';
        Digits(text.Slice(14, 2), time.Minute);
        text[16] = ':';
        Digits(text.Slice(17, 2), time.Second);
        text[19] = '.';
        Digits(text.Slice(20, 3), time.Millisecond);
        text[23] = 'Z';
        return new string(text);
    }

    private static void Digits(Span<char> target, int value)
    {
        for (var i = target.Length - 1; i >= 0; i--)
        {
            target[i] = (char)('0' + value % 10);
            value /= 10;
        }
    }

    /// <summary>Parses a dotted IPv4 address into its four bytes.</summary>
    public static bool TryParseIPv4(string text, Span<byte> address)
    {
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        for (var i = 0; i < 4; i++)
        {
            if (!TryParse(parts[i], out var part) || part > 255)
            {
                return false;
            }

            address[i] = (byte)part;
        }

        return true;
    }
}
