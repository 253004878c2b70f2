using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;

namespace Kindling.Api.Hosting;

/// <summary>
/// The request's headers by lower-case name, as the signature check reads them, without copying them: the check
/// looks up a handful (the signed ones, the date, the token), on every request.
/// </summary>
internal sealed class SignedHeaderView(IHeaderDictionary headers) : IReadOnlyDictionary<string, IReadOnlyList<string>>
{
    public IReadOnlyList<string> this[string key] =>
        TryGetValue(key, out var values) ? values : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => headers.Keys.Select(name => name.ToLowerInvariant());

    public IEnumerable<IReadOnlyList<string>> Values => this.Select(pair => pair.Value);

    public int Count => headers.Count;

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <remarks>Only lower-case names match: a signature names its headers in lower case.</remarks>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out IReadOnlyList<string> value)
    {
        if (key.AsSpan().ContainsAnyInRange('A', 'Z') || !headers.TryGetValue(key, out var values))
        {
            value = null;
            return false;
        }

        value = AsList(values);
        return true;
    }

    public IEnumerator<KeyValuePair<string, IReadOnlyList<string>>> GetEnumerator() =>
        headers.Select(pair => KeyValuePair.Create(pair.Key.ToLowerInvariant(), AsList(pair.Value))).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static IReadOnlyList<string> AsList(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Count == 1 ? [values[0] ?? ""] : values.Select(v => v ?? "").ToArray();
}
