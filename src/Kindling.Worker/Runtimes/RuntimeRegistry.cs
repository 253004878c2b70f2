using System.Globalization;

namespace Kindling.Worker.Runtimes;

/// <summary>
/// The managed runtimes this host can run (issue: "a runtime registry, configurable, discovered at start-up"):
/// each Lambda identifier mapped to an installed interpreter and Kindling's runtime interface client for its
/// family. Built once at start-up; immutable.
/// </summary>
public sealed class RuntimeRegistry
{
    private static readonly string[] s_sandboxVisibleRoots = ["/usr/", "/bin/", "/lib/", "/lib64/", "/sbin/"];

    private readonly Dictionary<string, ManagedRuntime> _byIdentifier;

    private RuntimeRegistry(IEnumerable<ManagedRuntime> runtimes, IReadOnlyList<string> problems)
    {
        _byIdentifier = runtimes.ToDictionary(r => r.Identifier, StringComparer.Ordinal);
        Runtimes = [.. _byIdentifier.Values.OrderBy(r => r.Identifier, StringComparer.Ordinal)];
        Problems = problems;
    }

    /// <summary>A registry without managed runtimes (only <c>provided</c> functions run).</summary>
    public static RuntimeRegistry Empty { get; } = new([], []);

    /// <summary>The runtimes, sorted by identifier.</summary>
    public IReadOnlyList<ManagedRuntime> Runtimes { get; }

    /// <summary>Why a configured or discovered interpreter was left out, for the operator.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>The runtime for a Lambda identifier, if this host has it.</summary>
    public bool TryGet(string identifier, out ManagedRuntime runtime) => _byIdentifier.TryGetValue(identifier, out runtime!);

    /// <summary>The family (runtime interface client directory) of a Lambda identifier, or null for others.</summary>
    public static string? FamilyOf(string identifier) =>
        identifier.StartsWith("python3.", StringComparison.Ordinal) ? "python"
        : identifier.StartsWith("nodejs", StringComparison.Ordinal) && identifier.EndsWith(".x", StringComparison.Ordinal) ? "nodejs"
        : identifier.StartsWith("dotnet", StringComparison.Ordinal) && !identifier.StartsWith("dotnetcore", StringComparison.Ordinal) ? "dotnet"
        : null;

    /// <summary>Discovers the host's interpreters, applies the configured ones, and keeps those with a runtime client.</summary>
    public static async Task<RuntimeRegistry> DiscoverAsync(RuntimeRegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var candidates = new Dictionary<string, (string Interpreter, string Version, bool Configured)>(StringComparer.Ordinal);
        foreach (var (identifier, interpreter, version) in await InterpreterDiscovery.DiscoverAsync(options))
        {
            candidates.TryAdd(identifier, (interpreter, version, false));
        }

        foreach (var (identifier, path) in options.Interpreters)
        {
            if (await ConfiguredAsync(identifier, path, problems) is { } configured)
            {
                candidates[identifier] = (path, configured, true);
            }
        }

        var manifests = new Dictionary<string, RuntimeManifest?>(StringComparer.Ordinal);
        var runtimes = new List<ManagedRuntime>();
        foreach (var (identifier, (interpreter, version, configured)) in candidates)
        {
            var family = FamilyOf(identifier)!;
            var directory = Path.GetFullPath(Path.Combine(options.RuntimesDirectory, family));
            if (!manifests.TryGetValue(family, out var manifest))
            {
                manifest = ReadManifest(directory, problems);
                manifests[family] = manifest;
            }

            if (manifest is null)
            {
                continue;
            }

            if (!TryVisiblePaths(identifier, interpreter, problems, out var extraPaths))
            {
                continue;
            }

            runtimes.Add(new ManagedRuntime
            {
                Identifier = identifier,
                Family = family,
                Interpreter = interpreter,
                Version = version,
                Configured = configured,
                RuntimeDirectory = directory,
                Manifest = manifest,
                ExtraReadOnlyPaths = extraPaths,
            });
        }

        return new RuntimeRegistry(runtimes, problems);
    }

    private static async Task<string?> ConfiguredAsync(string identifier, string path, List<string> problems)
    {
        var family = FamilyOf(identifier);
        if (family is null)
        {
            problems.Add($"runtimes: {identifier} is not a python3.x, nodejsN.x or dotnetN runtime identifier.");
            return null;
        }

        if (!Path.IsPathFullyQualified(path) || !InterpreterDiscovery.IsExecutable(path))
        {
            problems.Add($"runtimes: {identifier}: {path} is not an executable file (give an absolute path).");
            return null;
        }

        if (family == "dotnet")
        {
            var major = identifier["dotnet".Length..];
            var framework = InterpreterDiscovery.SharedFrameworks(Path.GetDirectoryName(path)!).FirstOrDefault(f => f.Major == major);
            if (framework.Version is null)
            {
                problems.Add($"runtimes: {identifier}: {path} has no Microsoft.NETCore.App {major}.x shared framework beside it.");
                return null;
            }

            return framework.Version;
        }

        var probed = await InterpreterDiscovery.ProbeAsync(family, path);
        if (probed is null)
        {
            problems.Add($"runtimes: {identifier}: {path} --version did not answer like a {family} interpreter.");
            return null;
        }

        if (probed.Value.Identifier != identifier)
        {
            problems.Add($"runtimes: {identifier}: {path} is {probed.Value.Identifier} ({probed.Value.Version}).");
            return null;
        }

        return probed.Value.Version;
    }

    private static RuntimeManifest? ReadManifest(string directory, List<string> problems)
    {
        var path = Path.Combine(directory, RuntimeManifest.FileName);
        if (!File.Exists(path))
        {
            problems.Add($"no runtime interface client at {directory} ({RuntimeManifest.FileName} missing).");
            return null;
        }

        try
        {
            return RuntimeManifest.Read(path);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            problems.Add(exception.Message);
            return null;
        }
    }

    /// <summary>
    /// The sandbox sees the host's /usr and libraries only: an interpreter installed elsewhere needs its installation
    /// bound, and the sandbox's unprivileged user must be able to reach it.
    /// </summary>
    private static bool TryVisiblePaths(string identifier, string interpreter, List<string> problems, out IReadOnlyList<string> paths)
    {
        paths = [];
        var resolved = new FileInfo(interpreter).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(interpreter);
        if (s_sandboxVisibleRoots.Any(root => resolved.StartsWith(root, StringComparison.Ordinal)))
        {
            return true;
        }

        var directory = Path.GetDirectoryName(resolved)!;
        var installation = Path.GetFileName(directory) == "bin" ? Path.GetDirectoryName(directory)! : directory;
        for (var current = installation; current is not null; current = Path.GetDirectoryName(current))
        {
            if ((File.GetUnixFileMode(current) & UnixFileMode.OtherExecute) == 0)
            {
                problems.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"runtimes: {identifier}: {installation} is not reachable by the sandboxes' unprivileged user ({current} is private); install it under /usr or /opt."));
                return false;
            }
        }

        paths = [installation];
        return true;
    }
}
