namespace Kindling.Sandbox;

/// <summary>How a sandbox's command ended.</summary>
/// <param name="ExitCode">
/// The exit status as a shell reports it: the command's exit code, or 128 + the signal that killed it.
/// </param>
/// <param name="Signal">
/// The signal that killed the command, inferred from <paramref name="ExitCode"/> above 128 as a shell does
/// (bubblewrap forwards a signal death as 128 + signal), or the signal that killed bubblewrap itself.
/// </param>
/// <param name="OutOfMemory">Whether the kernel's OOM killer killed a task of the sandbox (Runtime.OutOfMemory).</param>
public sealed record SandboxExit(int ExitCode, int? Signal, bool OutOfMemory)
{
    /// <summary>
    /// The exit of a command whose status a shell (or bubblewrap) reported: 128 + N above 128 is a death by signal N.
    /// 129 is read as an exit status, not SIGHUP: nothing sends a sandboxed process SIGHUP (it has no terminal),
    /// while runtimes do exit with 129 (Node's after an uncaught exception, which Lambda words "exit status 129").
    /// </summary>
    public static SandboxExit FromStatus(int status, bool outOfMemory = false) =>
        new(status, status is > 129 and <= 128 + 64 ? status - 128 : null, outOfMemory);
}
