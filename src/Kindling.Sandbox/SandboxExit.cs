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
public sealed record SandboxExit(int ExitCode, int? Signal, bool OutOfMemory);
