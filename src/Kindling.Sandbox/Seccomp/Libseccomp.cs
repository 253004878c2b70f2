using System.Runtime.InteropServices;

namespace Kindling.Sandbox.Seccomp;

/// <summary>The parts of libseccomp (Debian package <c>libseccomp2</c>) used to compile the filter.</summary>
internal static unsafe partial class Libseccomp
{
    private const string Library = "libseccomp.so.2";

    public const uint ActionAllow = 0x7fff0000;

    /// <summary>The resolver's answer for a name it does not know on this architecture.</summary>
    public const int UnknownSyscall = -1;

    public const int CompareMaskedEqual = 7;

    /// <summary><c>SCMP_ACT_ERRNO(errno)</c>.</summary>
    public static uint ActionErrno(int errno) => 0x00050000u | ((uint)errno & 0xffffu);

    /// <summary><c>struct scmp_arg_cmp</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ArgumentComparison
    {
        public uint Argument;
        public int Operator;
        public ulong DatumA;
        public ulong DatumB;
    }

    [LibraryImport(Library)]
    public static partial nint seccomp_init(uint defaultAction);

    [LibraryImport(Library)]
    public static partial void seccomp_release(nint context);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int seccomp_syscall_resolve_name(string name);

    [LibraryImport(Library)]
    public static partial int seccomp_rule_add_array(nint context, uint action, int syscall, uint argumentCount, ArgumentComparison* arguments);

    [LibraryImport(Library)]
    public static partial int seccomp_export_bpf(nint context, int fd);
}
