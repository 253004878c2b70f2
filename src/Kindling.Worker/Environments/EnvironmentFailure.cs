using Kindling.Worker.RuntimeApi;

namespace Kindling.Worker.Environments;

/// <summary>
/// Why an environment cannot run invocations (its Init failed), answered to its first invocation: either the
/// document the runtime posted to <c>init/error</c>, or a platform error whose message names the request.
/// </summary>
internal sealed class EnvironmentFailure
{
    private readonly byte[]? _document;
    private readonly string? _reason;

    private EnvironmentFailure(string errorType, byte[]? document, string? reason)
    {
        ErrorType = errorType;
        _document = document;
        _reason = reason;
    }

    public string ErrorType { get; }

    /// <summary>The runtime's own error document, passed through as Lambda does.</summary>
    public static EnvironmentFailure FromRuntime(byte[] document, string errorType) => new(errorType, document, null);

    /// <summary>A platform error: <c>{"errorType":T,"errorMessage":"RequestId: &lt;id&gt; Error: &lt;reason&gt;"}</c>.</summary>
    public static EnvironmentFailure FromPlatform(string errorType, string reason) => new(errorType, null, reason);

    public byte[] Payload(string requestId)
        => _document ?? ErrorDocuments.TypeThenMessage(ErrorType, string.Concat("RequestId: ", requestId, " Error: ", _reason));
}
