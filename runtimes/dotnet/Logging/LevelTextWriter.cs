using System.Text;

namespace Kindling.Runtime.Dotnet.Logging;

/// <summary>
/// Console.Out (level Information) and Console.Error (level Error): every WriteLine becomes one formatted log line,
/// Write passes through unformatted, as in AWS's .NET runtime.
/// </summary>
internal sealed class LevelTextWriter(LogSink sink, string level) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => sink.WriteRaw(value.ToString());

    public override void Write(string? value) => sink.WriteRaw(value);

    public override void Write(char[] buffer, int index, int count) => sink.WriteRaw(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer) => sink.WriteRaw(buffer);

    public override void Flush() => sink.Flush();

    public override void WriteLine() => Line("");

    public override void WriteLine(string? value) => Line(value ?? "");

    public override void WriteLine(object? value) => Line(value?.ToString() ?? "");

    public override void WriteLine(bool value) => Line(value.ToString());

    public override void WriteLine(char value) => Line(value.ToString());

    public override void WriteLine(char[]? buffer) => Line(buffer is null ? "" : new string(buffer));

    public override void WriteLine(char[] buffer, int index, int count) => Line(new string(buffer, index, count));

    public override void WriteLine(ReadOnlySpan<char> buffer) => Line(new string(buffer));

    public override void WriteLine(StringBuilder? value) => Line(value?.ToString() ?? "");

    public override void WriteLine(decimal value) => Line(value.ToString(FormatProvider));

    public override void WriteLine(double value) => Line(value.ToString(FormatProvider));

    public override void WriteLine(float value) => Line(value.ToString(FormatProvider));

    public override void WriteLine(int value) => Line(value.ToString(FormatProvider));

    public override void WriteLine(uint value) => Line(value.ToString(FormatProvider));

    public override void WriteLine(long value) => Line(value.ToString(FormatProvider));

    public override void WriteLine(ulong value) => Line(value.ToString(FormatProvider));

    public override void WriteLine(string format, object? arg0) => Line(string.Format(FormatProvider, format, arg0));

    public override void WriteLine(string format, object? arg0, object? arg1) => Line(string.Format(FormatProvider, format, arg0, arg1));

    public override void WriteLine(string format, object? arg0, object? arg1, object? arg2) =>
        Line(string.Format(FormatProvider, format, arg0, arg1, arg2));

    public override void WriteLine(string format, params object?[] arg) => Line(string.Format(FormatProvider, format, arg));

    public override void WriteLine(string format, params ReadOnlySpan<object?> arg) => Line(string.Format(FormatProvider, format, arg));

    public override Task WriteLineAsync() => LineAsync("");

    public override Task WriteLineAsync(char value) => LineAsync(value.ToString());

    public override Task WriteLineAsync(string? value) => LineAsync(value ?? "");

    public override Task WriteLineAsync(char[] buffer, int index, int count) => LineAsync(new string(buffer, index, count));

    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        LineAsync(new string(buffer.Span));

    public override Task WriteLineAsync(StringBuilder? value, CancellationToken cancellationToken = default) =>
        LineAsync(value?.ToString() ?? "");

    public override Task WriteAsync(char value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(char[] buffer, int index, int count)
    {
        Write(buffer, index, count);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return Task.CompletedTask;
    }

    public override Task FlushAsync()
    {
        Flush();
        return Task.CompletedTask;
    }

    private void Line(string message) => sink.WriteLine(level, null, message, null);

    private Task LineAsync(string message)
    {
        Line(message);
        return Task.CompletedTask;
    }
}
