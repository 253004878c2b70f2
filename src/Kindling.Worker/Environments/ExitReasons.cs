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

        if (exit.Signal is { } signal)
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
