namespace Amazon.Lambda.Core;

/// <summary>The Amazon Cognito identity of the caller.</summary>
public interface ICognitoIdentity
{
    /// <summary>Identity id.</summary>
    string IdentityId { get; }

    /// <summary>Identity pool id.</summary>
    string IdentityPoolId { get; }
}
