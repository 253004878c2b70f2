using Kindling.Sandbox.Interop;

namespace Kindling.Sandbox.Seccomp;

/// <summary>
/// The compiled BPF program of <see cref="SeccompPolicy"/>, built once per process with libseccomp and handed
/// to each sandbox as bytes (bubblewrap's <c>--seccomp FD</c> reads a program, not rules).
/// </summary>
internal static unsafe class SeccompProgram
{
    private const int EPerm = 1;
    private const int ENoSys = 38;

    private static readonly Lazy<byte[]> s_program = new(Compile);

    /// <summary>The program: a sequence of 8-byte <c>struct sock_filter</c> instructions.</summary>
    public static ReadOnlyMemory<byte> Bytes => s_program.Value;

    private static byte[] Compile()
    {
        var context = Libseccomp.seccomp_init(Libseccomp.ActionAllow);
        if (context == 0)
        {
            throw new InvalidOperationException("seccomp_init failed.");
        }

        var fd = -1;
        try
        {
            foreach (var name in SeccompPolicy.Denied)
            {
                var number = Libseccomp.seccomp_syscall_resolve_name(name);
                if (number >= 0)
                {
                    AddRule(context, Libseccomp.ActionErrno(EPerm), number, name, null);
                }
            }

            var clone = Libseccomp.seccomp_syscall_resolve_name("clone");
            foreach (var flag in SeccompPolicy.DeniedCloneFlags)
            {
                var comparison = new Libseccomp.ArgumentComparison
                {
                    Argument = 0,
                    Operator = Libseccomp.CompareMaskedEqual,
                    DatumA = flag,
                    DatumB = flag,
                };
                AddRule(context, Libseccomp.ActionErrno(EPerm), clone, "clone", &comparison);
            }

            var clone3 = Libseccomp.seccomp_syscall_resolve_name("clone3");
            if (clone3 >= 0)
            {
                AddRule(context, Libseccomp.ActionErrno(ENoSys), clone3, "clone3", null);
            }

            fd = Libc.memfd_create("kindling-seccomp", Libc.MfdCloseOnExec);
            if (fd < 0)
            {
                throw Libc.LastError("memfd_create");
            }

            var exported = Libseccomp.seccomp_export_bpf(context, fd);
            if (exported != 0)
            {
                throw Libc.Error("seccomp_export_bpf", -exported);
            }

            var length = Libc.lseek(fd, 0, Libc.SeekEnd);
            var program = new byte[length];
            fixed (byte* buffer = program)
            {
                if (Libc.pread(fd, buffer, (nint)length, 0) != length)
                {
                    throw Libc.LastError("pread seccomp program");
                }
            }

            return program;
        }
        finally
        {
            Libc.CloseQuietly(ref fd);
            Libseccomp.seccomp_release(context);
        }
    }

    private static void AddRule(nint context, uint action, int syscall, string name, Libseccomp.ArgumentComparison* comparison)
    {
        var result = Libseccomp.seccomp_rule_add_array(context, action, syscall, comparison is null ? 0u : 1u, comparison);
        if (result != 0)
        {
            throw Libc.Error("seccomp_rule_add " + name, -result);
        }
    }
}
