namespace Kindling.Sandbox.Seccomp;

/// <summary>
/// What a sandbox may not do, on top of what its user namespace without capabilities already forbids (defence
/// in depth: these are the calls through which kernel bugs are usually reached, and a sandbox has no use for
/// them). Everything else is allowed: Lambda functions run arbitrary Linux binaries, so an allow-list would
/// break them. Architectures other than the native one are killed by libseccomp's default bad-arch action
/// (no 32-bit <c>int 0x80</c> or x32 bypass).
/// </summary>
internal static class SeccompPolicy
{
    /// <summary>Denied with EPERM. Names the kernel or libseccomp does not know on this architecture are skipped.</summary>
    public static IReadOnlyList<string> Denied { get; } =
    [
        // Mounts and file system views.
        "mount", "umount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen", "fsconfig",
        "fsmount", "fspick", "mount_setattr",
        // Namespaces (clone and clone3 are handled separately).
        "unshare", "setns",
        // Other processes' memory and tracing.
        "ptrace", "process_vm_readv", "process_vm_writev", "process_madvise", "kcmp", "pidfd_getfd",
        // Kernel attack surface with no use in a function.
        "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
        "keyctl", "add_key", "request_key", "fanotify_init", "lookup_dcookie",
        "open_by_handle_at", "name_to_handle_at",
        // Machine state.
        "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "create_module",
        "query_module", "get_kernel_syms", "reboot", "swapon", "swapoff", "acct", "quotactl", "quotactl_fd",
        "syslog", "vhangup", "iopl", "ioperm", "uselib", "ustat", "sysfs", "_sysctl", "nfsservctl",
        // Clocks and host identity.
        "clock_settime", "clock_adjtime", "settimeofday", "adjtimex", "stime", "sethostname", "setdomainname",
    ];

    /// <summary>
    /// Namespace-creating flags refused in <c>clone</c>'s first argument (one rule each: libseccomp compares with
    /// a masked equality). <c>clone3</c> passes its flags in memory a filter cannot read, so it answers ENOSYS and
    /// the C library falls back to <c>clone</c>.
    /// </summary>
    public static IReadOnlyList<ulong> DeniedCloneFlags { get; } =
    [
        0x00020000, // CLONE_NEWNS
        0x02000000, // CLONE_NEWCGROUP
        0x04000000, // CLONE_NEWUTS
        0x08000000, // CLONE_NEWIPC
        0x10000000, // CLONE_NEWUSER
        0x20000000, // CLONE_NEWPID
        0x40000000, // CLONE_NEWNET
        0x00000080, // CLONE_NEWTIME
    ];
}
