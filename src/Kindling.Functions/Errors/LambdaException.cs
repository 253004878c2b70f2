using System.Net;

namespace Kindling.Functions.Errors;

/// <summary>
/// An error as Lambda reports it: HTTP status, error code (the exception's shape name), message, whether the
/// message field is spelled <c>message</c> or <c>Message</c>, and the optional <c>Type</c> and extra fields.
/// </summary>
public sealed class LambdaException : Exception
{
    /// <summary>Creates an error.</summary>
    public LambdaException(HttpStatusCode status, string code, string message, bool capitalMessage = false, string? type = "User")
        : base(message)
    {
        Status = status;
        Code = code;
        CapitalMessage = capitalMessage;
        Type = type;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The error code, e.g. <c>ResourceNotFoundException</c>.</summary>
    public string Code { get; }

    /// <summary>True when the body field is <c>Message</c> rather than <c>message</c>.</summary>
    public bool CapitalMessage { get; }

    /// <summary>The <c>Type</c> field (<c>User</c> or <c>Service</c>), or null to omit it.</summary>
    public string? Type { get; }

    /// <summary>Extra body fields such as <c>Reason</c> for throttles.</summary>
    public IReadOnlyDictionary<string, string>? Extra { get; init; }

    /// <summary>Extra response headers such as <c>Retry-After</c>.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}
