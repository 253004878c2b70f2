namespace Kindling.Invocation.Environments;

/// <summary>
/// Issues the temporary credentials of a function's execution role, which Lambda hands every execution environment
/// in <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c> and <c>AWS_SESSION_TOKEN</c>. The API accepts them
/// (with their session token) until they expire.
/// </summary>
public interface IExecutionRoleCredentials
{
    /// <summary>Credentials for one environment of <paramref name="function"/>, valid for <paramref name="lifetime"/>.</summary>
    RoleCredentials Issue(FunctionSpec function, TimeSpan lifetime);
}

/// <summary>A temporary key pair with its session token.</summary>
public sealed record RoleCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration);
