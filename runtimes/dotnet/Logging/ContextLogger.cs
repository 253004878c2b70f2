using Amazon.Lambda.Core;

namespace Kindling.Runtime.Dotnet.Logging;

/// <summary>
/// <c>context.Logger</c>. Implements every member of the newest <see cref="ILambdaLogger"/> so that, whichever
/// Amazon.Lambda.Core the function ships, its default methods (LogInformation, LogDebug…) land here.
/// </summary>
internal sealed class ContextLogger(LogSink sink) : ILambdaLogger
{
    /// <summary>As AWS: the message is written as it is, without a line end or a prefix.</summary>
    public void Log(string message) => sink.WriteRaw(message);

    public void LogLine(string message) => sink.WriteLine(nameof(Amazon.Lambda.Core.LogLevel.Information), null, message, null);

    public void Log(string level, string message) => sink.WriteLine(level, null, message, null);

    public void Log(Amazon.Lambda.Core.LogLevel level, string message) => sink.WriteLine(level.ToString(), null, message, null);

    public void Log(string level, string message, params object[] args) => sink.WriteLine(level, null, message, args);

    public void Log(string level, Exception exception, string message, params object[] args) => sink.WriteLine(level, exception, message, args);

    public void Log(Amazon.Lambda.Core.LogLevel level, string message, params object[] args) => sink.WriteLine(level.ToString(), null, message, args);

    public void Log(Amazon.Lambda.Core.LogLevel level, Exception exception, string message, params object[] args) =>
        sink.WriteLine(level.ToString(), exception, message, args);

    public void LogTrace(string message) => sink.WriteLine("Trace", null, message, null);

    public void LogDebug(string message) => sink.WriteLine("Debug", null, message, null);

    public void LogInformation(string message) => sink.WriteLine("Information", null, message, null);

    public void LogWarning(string message) => sink.WriteLine("Warning", null, message, null);

    public void LogError(string message) => sink.WriteLine("Error", null, message, null);

    public void LogCritical(string message) => sink.WriteLine("Critical", null, message, null);

    public void LogTrace(string message, params object[] args) => sink.WriteLine("Trace", null, message, args);

    public void LogDebug(string message, params object[] args) => sink.WriteLine("Debug", null, message, args);

    public void LogInformation(string message, params object[] args) => sink.WriteLine("Information", null, message, args);

    public void LogWarning(string message, params object[] args) => sink.WriteLine("Warning", null, message, args);

    public void LogError(string message, params object[] args) => sink.WriteLine("Error", null, message, args);

    public void LogCritical(string message, params object[] args) => sink.WriteLine("Critical", null, message, args);

    public void LogTrace(Exception exception, string message, params object[] args) => sink.WriteLine("Trace", exception, message, args);

    public void LogDebug(Exception exception, string message, params object[] args) => sink.WriteLine("Debug", exception, message, args);

    public void LogInformation(Exception exception, string message, params object[] args) => sink.WriteLine("Information", exception, message, args);

    public void LogWarning(Exception exception, string message, params object[] args) => sink.WriteLine("Warning", exception, message, args);

    public void LogError(Exception exception, string message, params object[] args) => sink.WriteLine("Error", exception, message, args);

    public void LogCritical(Exception exception, string message, params object[] args) => sink.WriteLine("Critical", exception, message, args);
}
