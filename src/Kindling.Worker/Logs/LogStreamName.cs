using System.Globalization;

namespace Kindling.Worker.Logs;

/// <summary>
/// Log stream names as Lambda makes them (<c>2025/11/22/[$LATEST]0123…</c>, one per execution environment) and
/// their file names (the three date slashes become dashes: <c>2025-11-22-[$LATEST]0123….log</c>).
/// </summary>
internal static class LogStreamName
{
    public const string FileExtension = ".log";

    /// <summary>Offsets of the slashes in <c>YYYY/MM/DD/</c>.</summary>
    private static readonly int[] s_dateSlashes = [4, 7, 10];

    public static string Create(DateTimeOffset now, string version, string environmentId)
        => string.Create(CultureInfo.InvariantCulture, $"{now.UtcDateTime:yyyy'/'MM'/'dd}/[{version}]{environmentId}");

    /// <summary>The file name of a stream; null for a name that is not a Lambda stream name.</summary>
    public static string? ToFileName(string streamName)
    {
        if (!IsStreamName(streamName))
        {
            return null;
        }

        return string.Create(streamName.Length + FileExtension.Length, streamName, static (span, name) =>
        {
            name.AsSpan().CopyTo(span);
            foreach (var slash in s_dateSlashes)
            {
                span[slash] = '-';
            }

            FileExtension.AsSpan().CopyTo(span[name.Length..]);
        });
    }

    /// <summary>The stream name of a file name; null for files that are not streams.</summary>
    public static string? FromFileName(string fileName)
    {
        if (!fileName.EndsWith(FileExtension, StringComparison.Ordinal) || fileName.Length < 12 + FileExtension.Length)
        {
            return null;
        }

        var name = string.Create(fileName.Length - FileExtension.Length, fileName, static (span, file) =>
        {
            file.AsSpan(0, span.Length).CopyTo(span);
            foreach (var slash in s_dateSlashes)
            {
                span[slash] = '/';
            }
        });
        return IsStreamName(name) ? name : null;
    }

    private static bool IsStreamName(string name)
    {
        if (name.Length < 12 || name[11] != '[')
        {
            return false;
        }

        for (var i = 0; i < 11; i++)
        {
            var expected = i is 4 or 7 or 10 ? name[i] == '/' : char.IsAsciiDigit(name[i]);
            if (!expected)
            {
                return false;
            }
        }

        // The rest ("[version]id") becomes part of a file name: nothing that leaves the directory.
        var rest = name.AsSpan(11);
        return !rest.ContainsAny('/', '\0', '\\') && rest.IndexOf(']') > 1;
    }
}
