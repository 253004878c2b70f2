using System.Globalization;
using System.Text.RegularExpressions;
using Kindling.Functions.Errors;

namespace Kindling.Functions.Validation;

/// <summary>
/// Collects schema violations and reports them the way Lambda does:
/// <c>2 validation errors detected: Value '0' at 'timeout' failed to satisfy constraint: …; Value …</c>.
/// </summary>
public sealed class ValidationErrors
{
    private readonly List<string> _errors = [];

    /// <summary>Records a violation for a value.</summary>
    public void Add(object? value, string member, string constraint)
    {
        var shown = value switch
        {
            null => "null",
            string s => $"'{s}'",
            bool b => b ? "'true'" : "'false'",
            IFormattable f => $"'{f.ToString(null, CultureInfo.InvariantCulture)}'",
            System.Collections.IEnumerable e => $"'[{string.Join(", ", e.Cast<object?>())}]'",
            _ => $"'{value}'",
        };
        _errors.Add($"Value {shown} at '{member}' failed to satisfy constraint: {constraint}");
    }

    /// <summary>Requires a value to be present.</summary>
    public void Required(object? value, string member)
    {
        if (value is null)
        {
            Add(null, member, "Member must not be null");
        }
    }

    /// <summary>Checks a number's range when present.</summary>
    public void Range(long? value, string member, long min, long max)
    {
        if (value is null)
        {
            return;
        }

        if (value < min)
        {
            Add(value, member, $"Member must have value greater than or equal to {min}");
        }
        else if (value > max)
        {
            Add(value, member, $"Member must have value less than or equal to {max}");
        }
    }

    /// <summary>Checks a string's length when present.</summary>
    public void Length(string? value, string member, int min, int max)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length < min)
        {
            Add(value, member, $"Member must have length greater than or equal to {min}");
        }
        else if (value.Length > max)
        {
            Add(value, member, $"Member must have length less than or equal to {max}");
        }
    }

    /// <summary>Checks a string against a pattern (the whole string must match) when present.</summary>
    public void Pattern(string? value, string member, Regex regex, string shownPattern)
    {
        if (value is not null && !regex.IsMatch(value))
        {
            Add(value, member, $"Member must satisfy regular expression pattern: {shownPattern}");
        }
    }

    /// <summary>Checks a value against an enum set when present.</summary>
    public void Enum(string? value, string member, IReadOnlyCollection<string> allowed)
    {
        if (value is not null && !allowed.Contains(value))
        {
            Add(value, member, $"Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
        }
    }

    /// <summary>Throws the ValidationException when anything was recorded.</summary>
    public void ThrowIfAny()
    {
        if (_errors.Count == 0)
        {
            return;
        }

        var count = _errors.Count == 1 ? "1 validation error detected: " : $"{_errors.Count} validation errors detected: ";
        throw LambdaErrors.Validation(count + string.Join("; ", _errors));
    }
}
