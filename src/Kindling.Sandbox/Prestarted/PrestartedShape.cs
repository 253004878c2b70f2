using System.Text;

namespace Kindling.Sandbox.Prestarted;

/// <summary>
/// What a pre-started sandbox must have in common with a spec to serve it: everything fixed when bubblewrap starts
/// (the runtime client's and the interpreter's binds, the /tmp volume, the pids limit, no egress). The code, the
/// layers, the command, the variables, memory and CPU are the function's and come at specialization.
/// </summary>
internal sealed record PrestartedShape(string? RuntimeDirectory, string ExtraReadOnlyPaths, long TmpSizeBytes, int PidsLimit)
{
    /// <summary>The sandbox's memory limit until specialized: enough for the waiting shell; specs below it are not served.</summary>
    public const long WaitingMemoryBytes = 16L * 1024 * 1024;

    /// <summary>The shape that serves <paramref name="spec"/>, or null if no pre-started sandbox can.</summary>
    public static PrestartedShape? Of(SandboxSpec spec) =>
        spec.AllowNetwork || spec.WorkingDirectory != "/var/task" || spec.RuntimeApiPort != 9001 || spec.MemoryLimitBytes < WaitingMemoryBytes
            || !spec.Environment.Keys.All(IsExportable)
            ? null
            : new PrestartedShape(spec.RuntimeDirectory, string.Join('\0', spec.ExtraReadOnlyPaths), spec.TmpSizeBytes, spec.PidsLimit);

    /// <summary>The spec a pre-started sandbox of this shape is launched with: a shell waiting on its stdin.</summary>
    public SandboxSpec ToWaitingSpec(string id, MountSlot slot, string shell) => new()
    {
        Id = id,
        Command = [shell, "-s"],
        TaskDirectory = slot.TaskDirectory,
        OptDirectory = slot.OptDirectory,
        RuntimeDirectory = RuntimeDirectory,
        ExtraReadOnlyPaths = ExtraReadOnlyPaths.Length == 0 ? [] : ExtraReadOnlyPaths.Split('\0'),
        MemoryLimitBytes = WaitingMemoryBytes,
        TmpSizeBytes = TmpSizeBytes,
        PidsLimit = PidsLimit,
        CpuCount = 0.1,
    };

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
