namespace Kindling.Storage.Code;

/// <summary>
/// A stored archive: <see cref="Id"/> addresses it in the store (it does not reveal the content hash),
/// <see cref="Sha256Base64"/> is the SHA-256 of the content in base64, as Lambda's CodeSha256.
/// </summary>
public sealed record CodeObject(string Id, string Sha256Base64, long Size);
