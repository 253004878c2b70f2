using System.Runtime.InteropServices;

namespace Kindling.Sandbox.Interop;

/// <summary>
/// The few glibc calls the sandbox layer needs that .NET does not expose (x86-64 and arm64 Linux, glibc ≥ 2.34
/// for <c>posix_spawn_file_actions_addclosefrom_np</c>). Every descriptor opened here is close-on-exec: the
/// worker also starts other processes, and a leaked pipe end would keep a sandbox's streams open.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    public const int OReadOnly = 0x0;
    public const int OWriteOnly = 0x1;
    public const int OReadWrite = 0x2;
    public const int OTruncate = 0x200;
    public const int OCreate = 0x40;
    public const int OExclusive = 0x80;
    public const int ODirectory = 0x10000;
    public const int OCloseOnExec = 0x80000;
    public const int OPath = 0x200000;

    public const int FDupFdCloseOnExec = 1030;
    public const uint MfdCloseOnExec = 0x1;
    public const int CloneNewNet = 0x40000000;
    public const int SeekSet = 0;
    public const int SeekEnd = 2;
    public const int SeekData = 3;
    public const int SeekHole = 4;

    public const int SigKill = 9;
    public const int WNoHang = 1;

    public const int EIntr = 4;
    public const int ESrch = 3;
    public const int EAgain = 11;
    public const int EBusy = 16;
    public const int ENxio = 6;
    public const int EChild = 10;
    public const int EInval = 22;
    public const int ENoEnt = 2;
    public const int ENotEmpty = 39;

    public const ulong MsNoSuid = 0x2;
    public const ulong MsNoDev = 0x4;
    public const ulong MsNoAtime = 0x400;
    public const int MntDetach = 0x2;
    public const ulong MsBind = 0x1000;
    public const ulong MsPrivate = 0x40000;
    public const ulong MsShared = 0x100000;

    public const short PosixSpawnSetSigDef = 0x04;
    public const short PosixSpawnSetSigMask = 0x08;
    public const short PosixSpawnSetSid = 0x80;

    /// <summary>Room for glibc's <c>posix_spawn_file_actions_t</c> (80 bytes) and <c>posix_spawnattr_t</c> (336).</summary>
    public const int SpawnStructSize = 512;

    /// <summary>Room for glibc's <c>sigset_t</c> (128 bytes).</summary>
    public const int SigSetSize = 128;

    [LibraryImport(Library, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int memfd_create(string name, uint flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fchown(int fd, int owner, int group);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, int mode);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fcntl(int fd, int command, int argument);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint pwrite(int fd, byte* buffer, nint count, long offset);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint pread(int fd, byte* buffer, nint count, long offset);

    [LibraryImport(Library, SetLastError = true)]
    public static partial long lseek(int fd, long offset, int whence);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int ftruncate(int fd, long length);

    [LibraryImport(Library)]
    public static partial uint geteuid();

    [LibraryImport(Library)]
    public static partial uint getegid();

    [LibraryImport(Library, SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int setns(int fd, int namespaceType);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int ioctl(int fd, ulong request, nint argument);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string source, string target, string fileSystemType, ulong flags, string? data);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkdir(string path, int mode);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int posix_spawn(int* pid, string path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_init(void* fileActions);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_destroy(void* fileActions);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int posix_spawn_file_actions_addopen(void* fileActions, int fd, string path, int flags, int mode);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_addclosefrom_np(void* fileActions, int from);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_init(void* attributes);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_destroy(void* attributes);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setflags(void* attributes, short flags);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setsigdefault(void* attributes, void* signals);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setsigmask(void* attributes, void* signals);

    [LibraryImport(Library)]
    public static partial int sigfillset(void* signals);

    [LibraryImport(Library)]
    public static partial int sigemptyset(void* signals);

    /// <summary>glibc's <c>syscall</c> with three integer arguments (variadic, which the x86-64 and arm64 ABIs pass like fixed ones).</summary>
    [LibraryImport(Library, SetLastError = true)]
    public static partial long syscall(long number, long argument1, long argument2, long argument3);

    /// <summary>glibc's <c>syscall</c> with five integer arguments (as the three-argument one).</summary>
    [LibraryImport(Library, SetLastError = true, EntryPoint = "syscall")]
    public static partial long syscall5(long number, long argument1, long argument2, long argument3, long argument4, long argument5);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int prctl(int option, nuint argument2, nuint argument3, nuint argument4, nuint argument5);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int getresgid(uint* real, uint* effective, uint* saved);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int getgroups(int size, uint* list);

    /// <summary>Waits for child <paramref name="pid"/> to exit and reaps it.</summary>
    /// <returns>Its wait status, or -1 if it was not a child or already reaped.</returns>
    public static int WaitForExit(int pid)
    {
        int status;
        int result;
        do
        {
            result = waitpid(pid, &status, 0);
        }
        while (result < 0 && Marshal.GetLastPInvokeError() == EIntr);

        return result == pid ? status : -1;
    }

    /// <summary>Closes <paramref name="fd"/> if it is valid; errors are ignored (the descriptor is gone either way).</summary>
    public static void CloseQuietly(ref int fd)
    {
        if (fd >= 0)
        {
            _ = close(fd);
            fd = -1;
        }
    }

    /// <summary>The calling thread's errno from the last call above, as an exception naming the call.</summary>
    public static IOException LastError(string call)
    {
        var errno = Marshal.GetLastPInvokeError();
        return Error(call, errno);
    }

    /// <summary>An exception for <paramref name="errno"/>, naming the call.</summary>
    public static IOException Error(string call, int errno)
        => new($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).") { HResult = errno };
}
