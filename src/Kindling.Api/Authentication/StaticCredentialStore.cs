namespace Kindling.Api.Authentication;

/// <summary>A fixed set of access keys (the root key pair of the server).</summary>
public sealed class StaticCredentialStore(IEnumerable<AccessKey> keys) : ICredentialStore
{
    private readonly Dictionary<string, AccessKey> _keys = keys.ToDictionary(k => k.AccessKeyId, StringComparer.Ordinal);

    /// <inheritdoc />
    public AccessKey? Find(string accessKeyId) => _keys.GetValueOrDefault(accessKeyId);
}
