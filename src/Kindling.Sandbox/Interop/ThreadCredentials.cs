using System.Runtime.InteropServices;

namespace Kindling.Sandbox.Interop;

/// <summary>
/// Runs code on the calling thread as another uid and gid without supplementary groups, then switches back: what
/// util-linux's <c>setpriv --reuid --regid --clear-groups</c> does before its exec, without a process and an exec
/// of its own (2–6 ms of a launch on a loaded 2-core machine). The kernel keeps credentials per thread; the raw
/// system calls change only the calling thread (glibc's wrappers would change every thread of the worker).
/// </summary>
/// <remarks>
/// While switched, the thread's real and effective uid are the target's and its saved uid stays 0, which is what
/// lets it switch back. A process started meanwhile gets at its exec the target's uid and gid as real, effective
/// and saved ids and, not being root, no capabilities: its permitted set is computed from the file's capabilities
/// (none), the thread's inheritable set (empty for root) and its ambient set, which is emptied first.
/// </remarks>
internal static unsafe class ThreadCredentials
{
    private const int PrCapAmbient = 47;
    private const nuint PrCapAmbientClearAll = 4;

    private static readonly (long SetGroups, long SetResUid, long SetResGid)? s_calls = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => (116, 117, 119),
        Architecture.Arm64 => (159, 147, 149),
        _ => null,
    };

    /// <summary>Whether this architecture's system call numbers are known.</summary>
    public static bool Supported => s_calls is not null;

    /// <summary>Runs <paramref name="action"/> as <paramref name="uid"/>:<paramref name="gid"/> without groups.</summary>
    /// <exception cref="IOException">The switch failed; the thread is as it was.</exception>
    /// <exception cref="InvalidOperationException">
    /// The thread could not switch back; it must not be used again.
    /// </exception>
    public static T RunAs<T>(int uid, int gid, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var calls = s_calls ?? throw new PlatformNotSupportedException("Unknown system call numbers for " + RuntimeInformation.ProcessArchitecture);
        uint realGid, effectiveGid, savedGid;
        if (Libc.getresgid(&realGid, &effectiveGid, &savedGid) != 0)
        {
            throw Libc.LastError("getresgid");
        }

        var groups = new uint[Math.Max(0, Libc.getgroups(0, null))];
        fixed (uint* list = groups)
        {
            if (groups.Length > 0 && Libc.getgroups(groups.Length, list) != groups.Length)
            {
                throw Libc.LastError("getgroups");
            }

            if (Libc.prctl(PrCapAmbient, PrCapAmbientClearAll, 0, 0, 0) != 0)
            {
                throw Libc.LastError("prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
            }

            Switch(calls.SetGroups, 0, 0, 0, "setgroups");
            try
            {
                Switch(calls.SetResGid, gid, gid, gid, "setresgid");
                try
                {
                    Switch(calls.SetResUid, uid, uid, 0, "setresuid");
                    try
                    {
                        return action();
                    }
                    finally
                    {
                        Restore(calls.SetResUid, 0, 0, 0, "setresuid");
                    }
                }
                finally
                {
                    Restore(calls.SetResGid, realGid, effectiveGid, savedGid, "setresgid");
                }
            }
            finally
            {
                Restore(calls.SetGroups, groups.Length, (long)list, 0, "setgroups");
            }
        }
    }

    private static void Switch(long call, long argument1, long argument2, long argument3, string name)
    {
        if (Libc.syscall(call, argument1, argument2, argument3) != 0)
        {
            throw Libc.LastError(name);
        }
    }

    private static void Restore(long call, long argument1, long argument2, long argument3, string name)
    {
        if (Libc.syscall(call, argument1, argument2, argument3) != 0)
        {
            throw new InvalidOperationException("The launcher's thread could not take back the worker's credentials.", Libc.LastError(name));
        }
    }
}
