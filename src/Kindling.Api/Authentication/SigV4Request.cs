namespace Kindling.Api.Authentication;

/// <summary>
/// The parts of an HTTP request that a SigV4 signature covers, as received: the raw (still percent-encoded)
/// path and query, and header values by lower-case name.
/// </summary>
public sealed record SigV4Request(
    string Method,
    string RawPath,
    string RawQuery,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Headers,
    string PayloadSha256Hex);
