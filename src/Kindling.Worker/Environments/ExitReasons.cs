using System.Globalization;
using Kindling.Sandbox;

namespace Kindling.Worker.Environments;

/// <summary>How Lambda words a runtime's exit (Go's os/exec wording: "exit status 3", "signal: killed").</summary>
internal static class ExitReasons
{
    public const string ExitError = "Runtime.ExitError";
    public const string OutOfMemory = "Runtime.OutOfMemory";

    public static string ErrorType(SandboxExit exit) => exit.OutOfMemory ? OutOfMemory : ExitError;

    public static string Reason(SandboxExit exit)
    {
        if (exit.OutOfMemory)
        {
            return "Runtime exited with error: signal: killed";
        }

        // bubblewrap reports a signal death as 128 + signal, like a shell, so 129 is ambiguous. Nothing sends a
        // sandboxed runtime SIGHUP (it has no terminal), while Node's runtime exits with status 129 after an uncaught
        // exception, which Lambda words "exit status 129".
        if (exit.Signal is { } signal && signal != 1)
        {
            return "Runtime exited with error: signal: " + SignalName(signal);
        }

        return exit.ExitCode == 0
            ? "Runtime exited without providing a reason"
            : string.Create(CultureInfo.InvariantCulture, $"Runtime exited with error: exit status {exit.ExitCode}");
    }

    private static string SignalName(int signal) => signal switch
    {
        1 => "hangup",
        2 => "interrupt",
        3 => "quit",
        4 => "illegal instruction",
        5 => "trace/breakpoint trap",
        6 => "aborted",
        7 => "bus error",
        8 => "floating point exception",
        9 => "killed",
        10 => "user defined signal 1",
        11 => "segmentation fault",
        12 => "user defined signal 2",
        13 => "broken pipe",
        14 => "alarm clock",
        15 => "terminated",
        _ => string.Create(CultureInfo.InvariantCulture, $"signal {signal}"),
    };
}
