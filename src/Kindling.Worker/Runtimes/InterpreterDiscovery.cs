using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Kindling.Worker.Runtimes;

/// <summary>
/// Finds the interpreters installed on the host: <c>python3.N</c> and <c>node</c> in the search paths, .NET shared
/// frameworks under the known installation roots. Versions come from <c>--version</c> (run once each, in
/// parallel) or the framework directory names.
/// </summary>
internal static partial class InterpreterDiscovery
{
    private static readonly TimeSpan s_versionTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Candidate (identifier, interpreter) pairs found on the host, first match per identifier.</summary>
    public static async Task<List<(string Identifier, string Interpreter, string Version)>> DiscoverAsync(RuntimeRegistryOptions options)
    {
        var probes = new List<Task<(string, string, string)?>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directory in options.SearchPaths.Where(Directory.Exists))
        {
            foreach (var path in Directory.EnumerateFiles(directory, "python3.*").Order(StringComparer.Ordinal))
            {
                var match = PythonName().Match(Path.GetFileName(path));
                if (match.Success && IsExecutable(path) && seen.Add("python3." + match.Groups[1].Value))
                {
                    probes.Add(ProbeAsync("python", path));
                }
            }

            var node = Path.Combine(directory, "node");
            if (IsExecutable(node) && seen.Add(node))
            {
                probes.Add(ProbeAsync("nodejs", node));
            }
        }

        var results = new List<(string, string, string)>();
        foreach (var (identifier, host, version) in DiscoverDotnet(options))
        {
            results.Add((identifier, host, version));
        }

        foreach (var probe in probes)
        {
            if (await probe is { } found)
            {
                results.Add(found);
            }
        }

        return results;
    }

    /// <summary>The identifier and version of one interpreter of a family, or null when it cannot be run.</summary>
    public static async Task<(string Identifier, string Interpreter, string Version)?> ProbeAsync(string family, string interpreter)
    {
        var output = await RunVersionAsync(interpreter);
        if (output is null)
        {
            return null;
        }

        if (family == "python" && PythonVersion().Match(output) is { Success: true } python)
        {
            return ("python3." + python.Groups[1].Value, interpreter, python.Groups[0].Value["Python ".Length..]);
        }

        if (family == "nodejs" && NodeVersion().Match(output) is { Success: true } node)
        {
            return ("nodejs" + node.Groups[1].Value + ".x", interpreter, output.Trim().TrimStart('v'));
        }

        return null;
    }

    /// <summary>dotnetN for every major version of Microsoft.NETCore.App under each installation root.</summary>
    public static IEnumerable<(string Identifier, string Host, string Version)> DiscoverDotnet(RuntimeRegistryOptions options)
    {
        var roots = new List<string>();
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } fromEnvironment)
        {
            roots.Add(fromEnvironment);
        }

        roots.AddRange(options.DotnetRoots);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in roots.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
        {
            var host = Path.Combine(root, "dotnet");
            if (!IsExecutable(host))
            {
                continue;
            }

            foreach (var (major, version) in SharedFrameworks(root))
            {
                if (seen.Add(major))
                {
                    yield return ("dotnet" + major, host, version);
                }
            }
        }
    }

    /// <summary>The newest Microsoft.NETCore.App version per major version under a .NET installation root.</summary>
    public static IEnumerable<(string Major, string Version)> SharedFrameworks(string root)
    {
        var frameworks = Path.Combine(root, "shared", "Microsoft.NETCore.App");
        if (!Directory.Exists(frameworks))
        {
            return [];
        }

        return Directory.EnumerateDirectories(frameworks)
            .Select(Path.GetFileName)
            .Select(name => (Name: name!, Parsed: Version.TryParse(name!.Split('-')[0], out var v) ? v : null))
            .Where(f => f.Parsed is not null)
            .GroupBy(f => f.Parsed!.Major)
            .Select(g => (g.Key.ToString(CultureInfo.InvariantCulture), g.MaxBy(f => f.Parsed)!.Name));
    }

    public static bool IsExecutable(string path)
    {
        try
        {
            return File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<string?> RunVersionAsync(string interpreter)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(interpreter, "--version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            using var timeout = new CancellationTokenSource(s_versionTimeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0 ? (await stdout) + (await stderr) : null;
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or OperationCanceledException or IOException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^python3\.(\d+)$")]
    private static partial Regex PythonName();

    [GeneratedRegex(@"Python 3\.(\d+)\.\d+")]
    private static partial Regex PythonVersion();

    [GeneratedRegex(@"^v(\d+)\.\d+\.\d+")]
    private static partial Regex NodeVersion();
}
