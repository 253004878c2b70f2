using System.Buffers;

namespace Kindling.Worker.Logs;

/// <summary>Where log streams live: <c>&lt;logs&gt;/&lt;function name&gt;/&lt;stream file&gt;</c>.</summary>
internal static class LogPaths
{
    private const int MaxFunctionNameLength = 140;

    private static readonly SearchValues<char> s_nameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");

    /// <summary>The directory of a function's streams.</summary>
    /// <exception cref="ArgumentException">The name is not a Lambda function name.</exception>
    public static string FunctionDirectory(string logsDirectory, string functionName)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        if (functionName.Length > MaxFunctionNameLength || functionName.AsSpan().ContainsAnyExcept(s_nameCharacters))
        {
            throw new ArgumentException($"'{functionName}' is not a function name.", nameof(functionName));
        }

        return Path.Combine(logsDirectory, functionName);
    }

    /// <summary>The file of a stream.</summary>
    /// <exception cref="ArgumentException">The name is not a Lambda log stream name.</exception>
    public static string StreamFile(string logsDirectory, string functionName, string streamName)
    {
        var file = LogStreamName.ToFileName(streamName)
            ?? throw new ArgumentException($"'{streamName}' is not a log stream name.", nameof(streamName));
        return Path.Combine(FunctionDirectory(logsDirectory, functionName), file);
    }
}
