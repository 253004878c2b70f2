namespace Kindling.Sandbox;

/// <summary>
/// What to run in one execution environment and with which limits (DESIGN §2). Immutable; the launcher
/// validates it (<see cref="ISandboxLauncher.LaunchAsync"/> throws <see cref="ArgumentException"/>).
/// </summary>
public sealed record SandboxSpec
{
    /// <summary>
    /// A name unique among the worker's live sandboxes: letters, digits, '.', '_' and '-', at most 64
    /// characters. It names the sandbox's control groups and /tmp volume.
    /// </summary>
    public required string Id { get; init; }

    /// <summary>The command and its arguments as seen inside the sandbox, e.g. <c>["/var/task/bootstrap"]</c>.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>
    /// The command's complete environment: nothing is inherited from the worker. bubblewrap adds one variable,
    /// <c>PWD</c> (= <see cref="WorkingDirectory"/>), as a shell would.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Host directory bound read-only at <c>/var/task</c> (the function code). The sandbox runs as an
    /// unprivileged host user: files must be world-readable (directories world-searchable).
    /// </summary>
    public required string TaskDirectory { get; init; }

    /// <summary>Host directory bound read-only at <c>/opt</c> (the layers), if any.</summary>
    public string? OptDirectory { get; init; }

    /// <summary>Host directory bound read-only at <c>/var/runtime</c> (the runtime interface client), if any.</summary>
    public string? RuntimeDirectory { get; init; }

    /// <summary>Host paths bound read-only at the same path inside, e.g. an interpreter's install directory.</summary>
    public IReadOnlyList<string> ExtraReadOnlyPaths { get; init; } = [];

    /// <summary>Hard memory limit in bytes (the function's MemorySize); no swap.</summary>
    public required long MemoryLimitBytes { get; init; }

    /// <summary>
    /// Size of the writable <c>/tmp</c> in bytes (EphemeralStorage.Size); writes beyond it fail with ENOSPC.
    /// </summary>
    public long TmpSizeBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Most tasks (processes and threads) alive at once.</summary>
    public int PidsLimit { get; init; } = 1024;

    /// <summary>CPU share in CPUs, as the caller computes it (Lambda: memory / 1,769 MB).</summary>
    public required double CpuCount { get; init; }

    /// <summary>
    /// The CPU share the sandbox starts with, until <see cref="ISandbox.SetCpuLimit"/> (Lambda runs Init unthrottled
    /// at small memory sizes); null starts at <see cref="CpuCount"/>.
    /// </summary>
    public double? InitialCpuCount { get; init; }

    /// <summary>
    /// Whether the sandbox shares the worker's network (egress) instead of a private loopback-only network
    /// namespace. With it, <see cref="RuntimeApiPort"/> is bound on the worker's own loopback, so it must be
    /// unique among such sandboxes, and other local processes can reach it.
    /// </summary>
    public bool AllowNetwork { get; init; }

    /// <summary>The command's working directory inside the sandbox.</summary>
    public string WorkingDirectory { get; init; } = "/var/task";

    /// <summary>
    /// A process that can do the command's work once told the variables, started ahead of need by a launcher that
    /// keeps pre-started sandboxes (e.g. an interpreter with the runtime client's modules loaded); null: the
    /// command itself is started. See <see cref="SandboxPrestart"/>.
    /// </summary>
    public SandboxPrestart? Prestart { get; init; }

    /// <summary>Port of <see cref="ISandbox.RuntimeApiListener"/> on 127.0.0.1 inside the sandbox.</summary>
    public int RuntimeApiPort { get; init; } = 9001;
}

/// <summary>
/// How a pre-started sandbox can run a spec's command without starting it: <see cref="Command"/> runs with
/// <see cref="Environment"/> (variables that may matter at its start: they must equal the spec's) and /var/task
/// not yet bound, then reads from its stdin, to end of file, the spec's variables — their count, then each
/// <c>NAME=VALUE</c>, every field followed by a NUL — replaces its environment with them, changes to /var/task and
/// does what the spec's command would have done, in the same process.
/// </summary>
/// <param name="Command">The waiting process's command, as seen inside the sandbox.</param>
/// <param name="Environment">Its environment at start.</param>
public sealed record SandboxPrestart(IReadOnlyList<string> Command, IReadOnlyDictionary<string, string> Environment);
