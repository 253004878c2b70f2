namespace Kindling.Runtime.Dotnet.Logging;

/// <summary>The log formats of AWS's .NET runtime.</summary>
internal enum LogFormat
{
    Text,
    Unformatted,
    Json,
}
