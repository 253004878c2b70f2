using System.Reflection;

namespace Kindling.Runtime.Dotnet.Logging;

/// <summary>
/// Points Amazon.Lambda.Core's static <c>LambdaLogger</c> at the sink through its private action fields (the field
/// names are the contract AWS's runtime uses too); fields a function's older Amazon.Lambda.Core lacks are skipped.
/// </summary>
internal static class StaticLoggerRedirect
{
    public static void Install(LogSink sink)
    {
        // typeof binds through metadata: no type-name parsing (see TypeLookup).
        var type = typeof(Amazon.Lambda.Core.LambdaLogger);
        const BindingFlags flags = BindingFlags.NonPublic | BindingFlags.Static;
        type.GetField("_loggingAction", flags)?.SetValue(null, new Action<string>(message => sink.WriteLine(null, null, message, null)));
        type.GetField("_loggingWithLevelAction", flags)?.SetValue(null,
            new Action<string, string, object[]>((level, message, args) => sink.WriteLine(level, null, message, args)));
        type.GetField("_loggingWithLevelAndExceptionAction", flags)?.SetValue(null,
            new Action<string, Exception, string, object[]>((level, exception, message, args) => sink.WriteLine(level, exception, message, args)));
    }
}
