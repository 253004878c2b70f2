namespace Kindling.Runtime.Dotnet.Logging;

/// <summary>
/// The log levels, mirrored here rather than taken from Amazon.Lambda.Core: a function may ship a version of that
/// assembly from before it had them.
/// </summary>
internal enum LogLevel
{
    Trace = 0,
    Debug = 1,
    Information = 2,
    Warning = 3,
    Error = 4,
    Critical = 5,
}
