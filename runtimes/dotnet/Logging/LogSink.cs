using System.Text;

namespace Kindling.Runtime.Dotnet.Logging;

/// <summary>
/// Where every log line of the function goes (Console.Out, Console.Error, the context's logger, LambdaLogger), in
/// AWS's formats: text <c>&lt;ISO time&gt;\t&lt;request id&gt;\t&lt;level label&gt;\t&lt;message&gt;</c>, or one JSON
/// object per line when the log format is JSON, filtered by the minimum level.
/// </summary>
internal sealed class LogSink
{
    private readonly TextWriter _output;
    private readonly LogFormat _format;
    private readonly LogLevel _minimumLevel;

    public LogSink(TextWriter output, LogFormat format, LogLevel minimumLevel)
    {
        _output = output;
        _format = format;
        _minimumLevel = minimumLevel;
    }

    /// <summary>Taken around every write so lines from several threads never interleave.</summary>
    public object Lock { get; } = new();

    public string RequestId { get; set; } = "";

    public bool IsJson => _format == LogFormat.Json;

    /// <summary>Reads AWS_LAMBDA_HANDLER_LOG_FORMAT / AWS_LAMBDA_LOG_FORMAT and the matching level variables.</summary>
    public static LogSink FromEnvironment(TextWriter output)
    {
        var formatText = Variable("AWS_LAMBDA_HANDLER_LOG_FORMAT", "AWS_LAMBDA_LOG_FORMAT");
        var format = formatText?.ToUpperInvariant() switch
        {
            "JSON" => LogFormat.Json,
            "UNFORMATTED" => LogFormat.Unformatted,
            _ => LogFormat.Text,
        };
        var level = ParseLevel(Variable("AWS_LAMBDA_HANDLER_LOG_LEVEL", "AWS_LAMBDA_LOG_LEVEL")) ?? LogLevel.Information;
        return new LogSink(output, format, level);
    }

    /// <summary>Parses a .NET level name or one of Lambda's (TRACE, DEBUG, INFO, WARN, ERROR, FATAL).</summary>
    public static LogLevel? ParseLevel(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return text.ToUpperInvariant() switch
        {
            "FATAL" => LogLevel.Critical,
            "INFO" => LogLevel.Information,
            "WARN" => LogLevel.Warning,
            _ => Enum.TryParse<LogLevel>(text, ignoreCase: true, out var level) && Enum.IsDefined(level) ? level : null,
        };
    }

    /// <summary>Writes raw text (Console.Write, ILambdaLogger.Log(message)): no formatting, no line end.</summary>
    public void WriteRaw(string? text)
    {
        lock (Lock)
        {
            _output.Write(text);
        }
    }

    public void WriteRaw(ReadOnlySpan<char> text)
    {
        lock (Lock)
        {
            _output.Write(text);
        }
    }

    /// <summary>
    /// Writes one formatted line. <paramref name="level"/> is a level name (case-insensitive) or null for a line
    /// without a level.
    /// </summary>
    public void WriteLine(string? level, Exception? exception, string? template, object?[]? args)
    {
        LogLevel? parsed = Enum.TryParse<LogLevel>(level, ignoreCase: true, out var value) && Enum.IsDefined(value) ? value : null;
        if (parsed is { } known && known < _minimumLevel)
        {
            return;
        }

        var line = _format switch
        {
            LogFormat.Json => JsonLogFormatter.Format(DateTime.UtcNow, parsed ?? LogLevel.Information, RequestId,
                Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"), template ?? "", args, exception),
            LogFormat.Unformatted => MessageTemplate.Apply(template ?? "", args),
            _ => FormatText(parsed is { } l ? Label(l) : level, template, args, exception),
        };
        lock (Lock)
        {
            _output.WriteLine(line);
        }
    }

    public void Flush()
    {
        lock (Lock)
        {
            _output.Flush();
        }
    }

    private string FormatText(string? label, string? template, object?[]? args, Exception? exception)
    {
        var message = template is null ? "" : MessageTemplate.Apply(template, args);
        var sb = new StringBuilder(40 + RequestId.Length + message.Length);
        sb.Append(RuntimeApi.Ascii.FormatTimestamp(DateTime.UtcNow)).Append('\t').Append(RequestId);
        if (!string.IsNullOrEmpty(label))
        {
            sb.Append('\t').Append(label);
        }

        sb.Append('\t').Append(message);
        if (exception is not null)
        {
            if (message.Length > 0)
            {
                sb.Append('\n');
            }

            sb.Append(exception);
        }

        return sb.ToString();
    }

    // The labels of Microsoft.Extensions.Logging's console provider, as AWS's .NET runtime prints them.
    private static string Label(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private static string? Variable(string name, string fallback)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrEmpty(value) ? Environment.GetEnvironmentVariable(fallback) : value;
    }
}
