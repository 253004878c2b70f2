using System.Text;

namespace Kindling.Sandbox.Prestarted;

/// <summary>
/// What a pre-started sandbox must have in common with a spec to serve it: everything fixed when bubblewrap starts
/// (the runtime client's and the interpreter's binds, the /tmp volume, the pids limit, no egress) and the waiting
/// process (a shell, or the spec's <see cref="SandboxPrestart"/>). The code, the layers, the variables, memory and
/// CPU are the function's and come at specialization; with a shell, the command too.
/// </summary>
internal sealed record PrestartedShape(
    string? RuntimeDirectory, string ExtraReadOnlyPaths, long TmpSizeBytes, int PidsLimit, string? WaiterCommand, string? WaiterEnvironment)
{
    /// <summary>The memory limit of a waiting shell; specs below it are not served.</summary>
    public const long ShellMemoryBytes = 16L * 1024 * 1024;

    /// <summary>The memory limit of a waiting runtime (Lambda's smallest size); specs below it are not served.</summary>
    public const long WaiterMemoryBytes = 128L * 1024 * 1024;

    /// <summary>The sandbox's memory limit until specialized.</summary>
    public long WaitingMemoryBytes => WaiterCommand is null ? ShellMemoryBytes : WaiterMemoryBytes;

    /// <summary>The shape that serves <paramref name="spec"/>, or null if no pre-started sandbox can.</summary>
    public static PrestartedShape? Of(SandboxSpec spec)
    {
        if (spec.AllowNetwork || spec.WorkingDirectory != "/var/task" || spec.RuntimeApiPort != 9001)
        {
            return null;
        }

        var extra = string.Join('\0', spec.ExtraReadOnlyPaths);
        if (spec.Prestart is { } prestart)
        {
            var environment = string.Join('\0', prestart.Environment.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => v.Key + "=" + v.Value));
            return spec.MemoryLimitBytes < WaiterMemoryBytes
                || !prestart.Environment.All(v => spec.Environment.TryGetValue(v.Key, out var value) && value == v.Value)
                ? null
                : new PrestartedShape(spec.RuntimeDirectory, extra, spec.TmpSizeBytes, spec.PidsLimit, string.Join('\0', prestart.Command), environment);
        }

        return spec.MemoryLimitBytes < ShellMemoryBytes || !spec.Environment.Keys.All(IsExportable)
            ? null
            : new PrestartedShape(spec.RuntimeDirectory, extra, spec.TmpSizeBytes, spec.PidsLimit, null, null);
    }

    /// <summary>The spec a pre-started sandbox of this shape is launched with: the waiting process, reading its stdin.</summary>
    public SandboxSpec ToWaitingSpec(string id, MountSlot slot, string shell) => new()
    {
        Id = id,
        // The shell sources its stdin through a second descriptor: read as stdin (-s), a pipe is read a byte at a time
        // (a shell must not consume input meant for its commands), ~1,100 system calls through the sandbox's filter.
        Command = WaiterCommand is null ? [shell, "-c", ". /proc/self/fd/0"] : WaiterCommand.Split('\0'),
        Environment = WaiterEnvironment is null or ""
            ? new Dictionary<string, string>()
            : WaiterEnvironment.Split('\0').Select(v => v.Split('=', 2)).ToDictionary(v => v[0], v => v[1], StringComparer.Ordinal),
        TaskDirectory = slot.TaskDirectory,
        OptDirectory = slot.OptDirectory,
        RuntimeDirectory = RuntimeDirectory,
        ExtraReadOnlyPaths = ExtraReadOnlyPaths.Length == 0 ? [] : ExtraReadOnlyPaths.Split('\0'),
        MemoryLimitBytes = WaitingMemoryBytes,
        TmpSizeBytes = TmpSizeBytes,
        PidsLimit = PidsLimit,
        // Enough for a runtime's own start in the background, little enough to leave the machine to cold starts.
        CpuCount = WaiterCommand is null ? 0.1 : 0.5,
    };

    /// <summary>What the waiting process reads at specialization (its stdin is closed after it).</summary>
    public byte[] StartInput(SandboxSpec spec) => WaiterCommand is null ? StartScript(spec) : StartRecord(spec);

    /// <summary>The spec's variables as <see cref="SandboxPrestart"/> describes: their count, then NAME=VALUE, each followed by a NUL.</summary>
    public static byte[] StartRecord(SandboxSpec spec)
    {
        var record = new StringBuilder();
        record.Append(spec.Environment.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\0');
        foreach (var (name, value) in spec.Environment)
        {
            record.Append(name).Append('=').Append(value).Append('\0');
        }

        return Encoding.UTF8.GetBytes(record.ToString());
    }

    /// <summary>
    /// What the waiting shell reads at specialization: into the code, then exec of the spec's command with exactly the
    /// spec's variables (and <c>PWD</c>, as bubblewrap adds it), stdin back on /dev/null. The shell started with an
    /// empty environment (bubblewrap's <c>PWD</c> aside, which <c>cd</c> sets again); what it exports is what the
    /// command gets, once <c>cd</c>'s <c>OLDPWD</c> is gone. Every word is single-quoted, so no value is ever
    /// interpreted by the shell.
    /// </summary>
    public static byte[] StartScript(SandboxSpec spec)
    {
        var script = new StringBuilder("cd /var/task || exit 126\nunset OLDPWD\n");
        foreach (var (name, value) in spec.Environment)
        {
            if (name != "PWD")
            {
                script.Append("export ").Append(Quote(name + "=" + value)).Append('\n');
            }
        }

        script.Append("exec");
        foreach (var argument in spec.Command)
        {
            script.Append(' ').Append(Quote(argument));
        }

        script.Append(" </dev/null\n");
        return Encoding.UTF8.GetBytes(script.ToString());
    }

    /// <summary>A name the waiting shell exports as given (a shell name; not OPTIND, whose value it parses).</summary>
    private static bool IsExportable(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name != "OPTIND"
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
