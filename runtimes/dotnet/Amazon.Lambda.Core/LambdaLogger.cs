namespace Amazon.Lambda.Core;

/// <summary>Static logging for code without a context; the runtime redirects it into its log formatting.</summary>
public static class LambdaLogger
{
    // The runtime replaces these fields by reflection (their names are the contract); outside Lambda they write
    // to the console.
#pragma warning disable IDE0044, CA1805
    private static Action<string> _loggingAction = message => Console.Write(message);
    private static Action<string, string, object[]> _loggingWithLevelAction = (level, message, args) => Console.WriteLine(message);
    private static Action<string, Exception, string, object[]> _loggingWithLevelAndExceptionAction = (level, exception, message, args) => Console.WriteLine(message);
#pragma warning restore IDE0044, CA1805

    /// <summary>Writes the message.</summary>
    public static void Log(string message) => _loggingAction(message);

    /// <summary>Writes a message template with its arguments at the named level.</summary>
    public static void Log(string level, string message, params object[] args) => _loggingWithLevelAction(level, message, args);

    /// <summary>Writes a message template with its arguments at the level.</summary>
    public static void Log(LogLevel level, string message, params object[] args) => _loggingWithLevelAction(level.ToString(), message, args);

    /// <summary>Writes a message template with its arguments and an exception at the named level.</summary>
    public static void Log(string level, Exception exception, string message, params object[] args) => _loggingWithLevelAndExceptionAction(level, exception, message, args);

    /// <summary>Writes a message template with its arguments and an exception at the level.</summary>
    public static void Log(LogLevel level, Exception exception, string message, params object[] args) => _loggingWithLevelAndExceptionAction(level.ToString(), exception, message, args);
}
