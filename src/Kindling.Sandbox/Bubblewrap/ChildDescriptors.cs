namespace Kindling.Sandbox.Bubblewrap;

/// <summary>Descriptor numbers in bubblewrap's process (0 = /dev/null, 1 and 2 = the output pipe).</summary>
internal static class ChildDescriptors
{
    /// <summary>NUL-separated arguments (<c>--args</c>): keeps the environment out of /proc/*/cmdline.</summary>
    public const int Arguments = 3;

    /// <summary><c>--json-status-fd</c>: the child pid, later the exit code; end of file when bubblewrap exits.</summary>
    public const int Status = 4;

    /// <summary><c>--block-fd</c>: the command starts after one byte arrives (once its cgroups are set).</summary>
    public const int Block = 5;

    /// <summary><c>--seccomp</c>: the BPF program.</summary>
    public const int Seccomp = 6;
}
