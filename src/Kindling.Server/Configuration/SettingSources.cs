using System.Text.Json;

namespace Kindling.Server.Configuration;

/// <summary>
/// Where a setting comes from, strongest first: the command line, the environment (<c>KINDLING_DATA_DIR</c> for
/// <c>--data-dir</c>), the config file (a JSON object keyed by option name), then the built-in default.
/// </summary>
internal sealed class SettingSources(IReadOnlyDictionary<string, string?> commandLine, Func<string, string?> environment, IReadOnlyDictionary<string, string> file)
{
    public string? Get(string option)
    {
        if (commandLine.TryGetValue(option, out var fromCommandLine) && fromCommandLine is not null)
        {
            return fromCommandLine;
        }

        var variable = "KINDLING_" + option.Replace('-', '_').ToUpperInvariant();
        if (environment(variable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        return file.TryGetValue(option, out var fromFile) ? fromFile : null;
    }

    public static IReadOnlyDictionary<string, string> ReadFile(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return new Dictionary<string, string>();
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.Ordinal);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"The config file {path} is not a JSON object: {ex.Message}", ex);
        }
    }
}
