using Kindling.Server.Configuration;

namespace Kindling.Server.Cli;

/// <summary>The data directory as <c>kindling server</c> resolves it: option, environment, config file, default.</summary>
internal static class DataDirectory
{
    public static string Default =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "kindling");

    public static string ConfigPath(string? option) =>
        option ?? Environment.GetEnvironmentVariable("KINDLING_CONFIG")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "kindling", "config.json");

    public static string Resolve(string? option)
    {
        var sources = new SettingSources(
            new Dictionary<string, string?>(StringComparer.Ordinal) { ["data-dir"] = option },
            Environment.GetEnvironmentVariable,
            SettingSources.ReadFile(ConfigPath(null)));
        return Path.GetFullPath(ExpandHome(sources.Get("data-dir") ?? Default));
    }

    public static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;
}
