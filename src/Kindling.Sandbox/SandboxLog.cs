using Microsoft.Extensions.Logging;

namespace Kindling.Sandbox;

/// <summary>The sandbox layer's log events (event ids 3000–3099).</summary>
internal static partial class SandboxLog
{
    [LoggerMessage(3000, LogLevel.Information, "Sandbox launcher ready: cgroup {CgroupVersion}, /tmp as {TmpStorage}, bubblewrap runs as uid {HostUserId}.")]
    public static partial void LauncherReady(ILogger logger, string cgroupVersion, TmpStorageKind tmpStorage, string hostUserId);

    [LoggerMessage(3001, LogLevel.Debug, "Sandbox {SandboxId} launched: pid {Pid} in {ElapsedMilliseconds} ms ({Phases}).")]
    public static partial void Launched(ILogger logger, string sandboxId, int pid, double elapsedMilliseconds, string phases);

    [LoggerMessage(3002, LogLevel.Warning, "Sandbox {SandboxId} failed to launch.")]
    public static partial void LaunchFailed(ILogger logger, string sandboxId, Exception exception);

    [LoggerMessage(3003, LogLevel.Debug, "Sandbox {SandboxId} exited: status {ExitCode}, out of memory {OutOfMemory}.")]
    public static partial void Exited(ILogger logger, string sandboxId, int exitCode, bool outOfMemory);

    [LoggerMessage(3004, LogLevel.Warning, "Sandbox {SandboxId} still has processes after being killed.")]
    public static partial void KillIncomplete(ILogger logger, string sandboxId);

    [LoggerMessage(3005, LogLevel.Warning, "Sandbox {SandboxId} could not be cleaned up completely.")]
    public static partial void CleanupFailed(ILogger logger, string sandboxId, Exception exception);

    [LoggerMessage(3007, LogLevel.Warning, "Could not stock a ready /tmp volume of {SizeBytes} bytes.")]
    public static partial void TmpPoolRefillFailed(ILogger logger, long sizeBytes, Exception exception);

    [LoggerMessage(3006, LogLevel.Error, "Sandbox {SandboxId}: watching for its exit failed.")]
    public static partial void MonitorFailed(ILogger logger, string sandboxId, Exception exception);

    [LoggerMessage(3008, LogLevel.Warning, "Sweeping the sandboxes and /tmp volumes of dead workers failed; the next sweep retries.")]
    public static partial void LeftoverSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(3009, LogLevel.Debug, "Pre-started sandbox {SandboxId} specialized for {SpecId} in {ElapsedMilliseconds} ms.")]
    public static partial void Specialized(ILogger logger, string sandboxId, string specId, double elapsedMilliseconds);

    [LoggerMessage(3010, LogLevel.Warning, "Pre-started sandbox {SandboxId} could not take {SpecId}; launching a new one.")]
    public static partial void SpecializeFailed(ILogger logger, string sandboxId, string specId, Exception exception);

    [LoggerMessage(3011, LogLevel.Warning, "Could not pre-start a sandbox; retrying later.")]
    public static partial void PrestartFailed(ILogger logger, Exception exception);

    [LoggerMessage(3012, LogLevel.Warning, "Pre-started sandboxes are unavailable on this host (mount points for their code could not be made); every sandbox starts at its cold start.")]
    public static partial void PrestartUnavailable(ILogger logger, Exception exception);
}
