namespace Kindling.Worker.Extensions;

/// <summary>A refused Extensions API call: 403 with Lambda's error type and message.</summary>
internal sealed record ExtensionApiError(string ErrorType, string Message)
{
    public static ExtensionApiError UnknownIdentifier(string id) => new("Extension.UnknownExtensionIdentifier", "Unknown extension " + id);

    public static ExtensionApiError InvalidState(string from, string to, string name)
        => new("Extension.InvalidExtensionState", $"State transition from {from} to {to} failed for extension {name}. Error: State transition is not allowed");
}
