namespace Kindling.Api.Authentication;

/// <summary>The outcome of verifying a request: success with the key used, or the AWS error to return.</summary>
public sealed record SigV4Result(AccessKey? Key, string? ErrorCode, string? ErrorMessage)
{
    /// <summary>True when the signature is valid.</summary>
    public bool Succeeded => Key is not null;

    /// <summary>A failure.</summary>
    public static SigV4Result Fail(string code, string message) => new(null, code, message);
}
