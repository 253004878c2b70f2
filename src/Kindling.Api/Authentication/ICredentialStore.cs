namespace Kindling.Api.Authentication;

/// <summary>Looks up the secret of an access key (and the session token it requires, for temporary keys).</summary>
public interface ICredentialStore
{
    /// <summary>The credentials of an access key id, or null when the key is unknown.</summary>
    AccessKey? Find(string accessKeyId);
}

/// <summary>An access key pair; <see cref="SessionToken"/> is set for temporary credentials.</summary>
public sealed record AccessKey(string AccessKeyId, string SecretAccessKey, string? SessionToken = null);
