using System.Globalization;
using System.Text;

namespace Kindling.Runtime.Dotnet.Logging;

/// <summary>
/// Message templates of the leveled log methods: <c>"{count} items"</c> or <c>"{0} items"</c> with arguments in
/// order (named properties) or by index (positional ones), <c>{name:format}</c> formats, <c>{{</c> and <c>}}</c> escapes.
/// </summary>
internal static class MessageTemplate
{
    /// <summary>A property of the template: its name (without the @ directive) and format.</summary>
    internal readonly record struct Property(string Name, string? Format, int Start, int Length);

    public static List<Property> Parse(string template)
    {
        var properties = new List<Property>();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '{')
            {
                continue;
            }

            if (i + 1 < template.Length && template[i + 1] == '{')
            {
                i++;
                continue;
            }

            var close = template.IndexOf('}', i + 1);
            if (close < 0)
            {
                break;
            }

            var inner = template.AsSpan(i + 1, close - i - 1);
            var colon = inner.IndexOf(':');
            var name = (colon < 0 ? inner : inner[..colon]).Trim().TrimStart('@').ToString();
            var format = colon < 0 ? null : inner[(colon + 1)..].ToString();
            properties.Add(new Property(name, format, i, close - i + 1));
            i = close;
        }

        return properties;
    }

    public static bool IsPositional(List<Property> properties) =>
        properties.Count > 0 && properties.TrueForAll(p => int.TryParse(p.Name, NumberStyles.None, CultureInfo.InvariantCulture, out _));

    /// <summary>The argument a property stands for, or false when there is none.</summary>
    public static bool TryGetArgument(List<Property> properties, int index, object?[] args, bool positional, out object? argument)
    {
        var position = positional ? int.Parse(properties[index].Name, CultureInfo.InvariantCulture) : index;
        argument = position < args.Length ? args[position] : null;
        return position < args.Length;
    }

    public static string Apply(string template, object?[]? args)
    {
        if (args is null || args.Length == 0)
        {
            return template;
        }

        var properties = Parse(template);
        var positional = IsPositional(properties);
        var sb = new StringBuilder(template.Length + 16);
        var last = 0;
        for (var i = 0; i < properties.Count; i++)
        {
            var property = properties[i];
            AppendUnescaped(sb, template.AsSpan(last, property.Start - last));
            if (TryGetArgument(properties, i, args, positional, out var argument))
            {
                sb.Append(FormatValue(argument, property.Format));
            }
            else
            {
                sb.Append(template, property.Start, property.Length);
            }

            last = property.Start + property.Length;
        }

        AppendUnescaped(sb, template.AsSpan(last));
        return sb.ToString();
    }

    public static string FormatValue(object? value, string? format) => value switch
    {
        null => "{null}",
        IFormattable formattable when format is not null => formattable.ToString(format, CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static void AppendUnescaped(StringBuilder sb, ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            sb.Append(text[i]);
            if ((text[i] == '{' || text[i] == '}') && i + 1 < text.Length && text[i + 1] == text[i])
            {
                i++;
            }
        }
    }
}
