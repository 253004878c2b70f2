namespace Kindling.Worker.Extensions;

/// <summary>
/// An extension failure that ends the environment: <c>Extension.InitError</c> and <c>Extension.ExitError</c>
/// (reported through the API), <c>Extension.Crash</c> (exited on its own), <c>Extension.LaunchError</c> (could
/// not be started).
/// </summary>
internal sealed record ExtensionFailure(string ErrorType, string Reason)
{
    public const string InitError = "Extension.InitError";
    public const string ExitError = "Extension.ExitError";
    public const string Crash = "Extension.Crash";
    public const string LaunchError = "Extension.LaunchError";
    public const string TooManyExtensions = "TooManyExtensions";
}
