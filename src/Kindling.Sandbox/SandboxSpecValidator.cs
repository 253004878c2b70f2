namespace Kindling.Sandbox;

/// <summary>Checks a <see cref="SandboxSpec"/> before anything is created for it.</summary>
internal static class SandboxSpecValidator
{
    private const int MaxIdLength = 64;

    private static readonly string[] s_reserved = ["/tmp", "/proc", "/dev", "/var/task", "/opt", "/var/runtime", "/etc"];

    /// <summary>Throws <see cref="ArgumentException"/> for a spec that cannot be launched safely.</summary>
    public static void Validate(SandboxSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrEmpty(spec.Id) || spec.Id.Length > MaxIdLength || spec.Id is "." or ".."
            || !spec.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ArgumentException($"Sandbox id '{spec.Id}' must be 1–{MaxIdLength} letters, digits, '.', '_' or '-'.", nameof(spec));
        }

        if (spec.Command is not { Count: > 0 } || spec.Command.Any(a => a is null || a.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException("The command must have at least one element and no NUL characters.", nameof(spec));
        }

        foreach (var (name, value) in spec.Environment)
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal)
                || value is null || value.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Environment variable '{name}' has an invalid name or value.", nameof(spec));
            }
        }

        RequireDirectory(spec.TaskDirectory, nameof(SandboxSpec.TaskDirectory));
        if (spec.OptDirectory is not null)
        {
            RequireDirectory(spec.OptDirectory, nameof(SandboxSpec.OptDirectory));
        }

        if (spec.RuntimeDirectory is not null)
        {
            RequireDirectory(spec.RuntimeDirectory, nameof(SandboxSpec.RuntimeDirectory));
        }

        foreach (var path in spec.ExtraReadOnlyPaths)
        {
            // Normalized and never the host's root: a bind of "/" (or "/x/..") would expose everything.
            if (!Path.IsPathFullyQualified(path) || path == "/" || Path.GetFullPath(path) != Path.TrimEndingDirectorySeparator(path)
                || !(File.Exists(path) || Directory.Exists(path)))
            {
                throw new ArgumentException($"Extra read-only path '{path}' must be an existing, normalized absolute path other than /.", nameof(spec));
            }

            // Mounted later, these would hide the bind (or the bind would land inside the writable /tmp).
            if (s_reserved.Any(r => path == r || path.StartsWith(r + "/", StringComparison.Ordinal)))
            {
                throw new ArgumentException($"Extra read-only path '{path}' lies under a sandbox mount ({string.Join(", ", s_reserved)}).", nameof(spec));
            }
        }

        if (!spec.WorkingDirectory.StartsWith('/'))
        {
            throw new ArgumentException("The working directory must be absolute.", nameof(spec));
        }

        if (spec.MemoryLimitBytes < 4L * 1024 * 1024 || spec.TmpSizeBytes < 1024 * 1024 || spec.PidsLimit < 2
            || !double.IsFinite(spec.CpuCount) || spec.CpuCount <= 0
            || (spec.InitialCpuCount is { } initial && (!double.IsFinite(initial) || initial <= 0)) || spec.RuntimeApiPort is < 1 or > 65535)
        {
            throw new ArgumentException(
                "Limits out of range: memory ≥ 4 MiB, /tmp ≥ 1 MiB, pids ≥ 2, CPU count > 0, port 1–65535.", nameof(spec));
        }
    }

    private static void RequireDirectory(string? path, string name)
    {
        if (path is null || !Path.IsPathFullyQualified(path) || !Directory.Exists(path))
        {
            throw new ArgumentException($"{name} '{path}' must be an existing absolute directory.", name);
        }
    }
}
