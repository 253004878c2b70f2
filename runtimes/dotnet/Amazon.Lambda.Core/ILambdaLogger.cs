namespace Amazon.Lambda.Core;

/// <summary>The invocation's logger; the runtime formats and filters what goes through it.</summary>
public interface ILambdaLogger
{
    /// <summary>Writes the message as it is, without a line terminator.</summary>
    void Log(string message);

    /// <summary>Writes the message as one log line.</summary>
    void LogLine(string message);

    /// <summary>Writes the message at the named level.</summary>
    void Log(string level, string message) => LogLine(message);

    /// <summary>Writes the message at the level.</summary>
    void Log(LogLevel level, string message) => Log(level.ToString(), message);

    /// <summary>Writes a message template with its arguments at the named level.</summary>
    void Log(string level, string message, params object[] args) => Log(level, message);

    /// <summary>Writes a message template with its arguments and an exception at the named level.</summary>
    void Log(string level, Exception exception, string message, params object[] args) => Log(level, message, args);

    /// <summary>Writes a message template with its arguments at the level.</summary>
    void Log(LogLevel level, string message, params object[] args) => Log(level.ToString(), message, args);

    /// <summary>Writes a message template with its arguments and an exception at the level.</summary>
    void Log(LogLevel level, Exception exception, string message, params object[] args) => Log(level.ToString(), exception, message, args);

    /// <summary>Trace level.</summary>
    void LogTrace(string message) => Log(LogLevel.Trace.ToString(), message);

    /// <summary>Debug level.</summary>
    void LogDebug(string message) => Log(LogLevel.Debug.ToString(), message);

    /// <summary>Information level.</summary>
    void LogInformation(string message) => Log(LogLevel.Information.ToString(), message);

    /// <summary>Warning level.</summary>
    void LogWarning(string message) => Log(LogLevel.Warning.ToString(), message);

    /// <summary>Error level.</summary>
    void LogError(string message) => Log(LogLevel.Error.ToString(), message);

    /// <summary>Critical level.</summary>
    void LogCritical(string message) => Log(LogLevel.Critical.ToString(), message);

    /// <summary>Trace level with arguments.</summary>
    void LogTrace(string message, params object[] args) => Log(LogLevel.Trace.ToString(), message, args);

    /// <summary>Debug level with arguments.</summary>
    void LogDebug(string message, params object[] args) => Log(LogLevel.Debug.ToString(), message, args);

    /// <summary>Information level with arguments.</summary>
    void LogInformation(string message, params object[] args) => Log(LogLevel.Information.ToString(), message, args);

    /// <summary>Warning level with arguments.</summary>
    void LogWarning(string message, params object[] args) => Log(LogLevel.Warning.ToString(), message, args);

    /// <summary>Error level with arguments.</summary>
    void LogError(string message, params object[] args) => Log(LogLevel.Error.ToString(), message, args);

    /// <summary>Critical level with arguments.</summary>
    void LogCritical(string message, params object[] args) => Log(LogLevel.Critical.ToString(), message, args);

    /// <summary>Trace level with an exception.</summary>
    void LogTrace(Exception exception, string message, params object[] args) => Log(LogLevel.Trace.ToString(), exception, message, args);

    /// <summary>Debug level with an exception.</summary>
    void LogDebug(Exception exception, string message, params object[] args) => Log(LogLevel.Debug.ToString(), exception, message, args);

    /// <summary>Information level with an exception.</summary>
    void LogInformation(Exception exception, string message, params object[] args) => Log(LogLevel.Information.ToString(), exception, message, args);

    /// <summary>Warning level with an exception.</summary>
    void LogWarning(Exception exception, string message, params object[] args) => Log(LogLevel.Warning.ToString(), exception, message, args);

    /// <summary>Error level with an exception.</summary>
    void LogError(Exception exception, string message, params object[] args) => Log(LogLevel.Error.ToString(), exception, message, args);

    /// <summary>Critical level with an exception.</summary>
    void LogCritical(Exception exception, string message, params object[] args) => Log(LogLevel.Critical.ToString(), exception, message, args);
}
