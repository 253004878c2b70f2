using System.Collections.Concurrent;
using System.Security.Cryptography;
using Kindling.Invocation.Environments;

namespace Kindling.Api.Authentication;

/// <summary>
/// The keys the API accepts: the root key pair, and the temporary execution-role keys issued to execution
/// environments (which must come with their session token and expire). Issued keys live in memory only: they
/// belong to environments, which do not outlive the process either.
/// </summary>
public sealed class CredentialStore : ICredentialStore, IExecutionRoleCredentials
{
    private const string UpperAlphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private readonly Dictionary<string, AccessKey> _root;
    private readonly ConcurrentDictionary<string, (AccessKey Key, DateTimeOffset Expiration)> _issued = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates the store with the root keys.</summary>
    public CredentialStore(IEnumerable<AccessKey> rootKeys, TimeProvider time)
    {
        _root = rootKeys.ToDictionary(k => k.AccessKeyId, StringComparer.Ordinal);
        _time = time;
    }

    /// <inheritdoc />
    public AccessKey? Find(string accessKeyId)
    {
        if (_root.TryGetValue(accessKeyId, out var root))
        {
            return root;
        }

        if (_issued.TryGetValue(accessKeyId, out var issued))
        {
            if (issued.Expiration > _time.GetUtcNow())
            {
                return issued.Key;
            }

            _issued.TryRemove(accessKeyId, out _);
        }

        return null;
    }

    /// <inheritdoc />
    public RoleCredentials Issue(FunctionSpec function, TimeSpan lifetime)
    {
        var now = _time.GetUtcNow();
        foreach (var (id, issued) in _issued)
        {
            if (issued.Expiration <= now)
            {
                _issued.TryRemove(id, out _);
            }
        }

        var key = new AccessKey(
            "ASIA" + RandomNumberGenerator.GetString(UpperAlphanumeric, 16),
            RandomNumberGenerator.GetString(SecretAlphabet, 40),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)));
        var expiration = now + lifetime;
        _issued[key.AccessKeyId] = (key, expiration);
        return new RoleCredentials(key.AccessKeyId, key.SecretAccessKey, key.SessionToken!, expiration);
    }
}
