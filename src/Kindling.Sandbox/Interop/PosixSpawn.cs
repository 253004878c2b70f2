using System.Runtime.InteropServices;

namespace Kindling.Sandbox.Interop;

/// <summary>
/// Starts a process with <c>posix_spawn</c> (never fork from the .NET process, DESIGN §2): stdin is
/// <c>/dev/null</c> unless a mapping targets 0, the given descriptors are placed at fixed numbers and every other descriptor is closed in
/// the child, every signal is reset to its default disposition with an empty mask (otherwise the child inherits
/// .NET's ignored SIGPIPE), and the child starts a new session so terminal signals aimed at the worker do not
/// reach sandboxes directly.
/// </summary>
internal static unsafe class PosixSpawn
{
    /// <summary>Spawns <paramref name="path"/> with <paramref name="arguments"/> (argv, including argv[0]) and an empty environment.</summary>
    /// <returns>The child's pid.</returns>
    public static int Spawn(string path, IReadOnlyList<string> arguments, IReadOnlyList<FdMapping> descriptors)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(descriptors);

        var highestTarget = 2;
        foreach (var mapping in descriptors)
        {
            if (mapping.Target < 0)
            {
                throw new ArgumentException("Descriptors are not negative.", nameof(descriptors));
            }

            highestTarget = Math.Max(highestTarget, mapping.Target);
        }

        // adddup2 runs in order in the child: a source numbered like an earlier target would be overwritten, so
        // such sources are first copied above every target (closed again below).
        var sources = new int[descriptors.Count];
        var temporaries = new List<int>();
        for (var i = 0; i < descriptors.Count; i++)
        {
            sources[i] = descriptors[i].Source;
            if (sources[i] <= highestTarget)
            {
                sources[i] = Libc.fcntl(descriptors[i].Source, Libc.FDupFdCloseOnExec, highestTarget + 1);
                if (sources[i] < 0)
                {
                    CloseAll(temporaries);
                    throw Libc.LastError("fcntl(F_DUPFD_CLOEXEC)");
                }

                temporaries.Add(sources[i]);
            }
        }

        var fileActions = NativeMemory.AllocZeroed(Libc.SpawnStructSize);
        var attributes = NativeMemory.AllocZeroed(Libc.SpawnStructSize);
        var signals = NativeMemory.AllocZeroed(Libc.SigSetSize);
        var argv = (byte**)NativeMemory.AllocZeroed((nuint)(arguments.Count + 1), (nuint)sizeof(byte*));
        var envp = (byte**)NativeMemory.AllocZeroed(1, (nuint)sizeof(byte*));
        var actionsReady = false;
        var attributesReady = false;
        try
        {
            for (var i = 0; i < arguments.Count; i++)
            {
                argv[i] = (byte*)Marshal.StringToCoTaskMemUTF8(arguments[i]);
            }

            Check(Libc.posix_spawn_file_actions_init(fileActions), "posix_spawn_file_actions_init");
            actionsReady = true;
            Check(Libc.posix_spawn_file_actions_addopen(fileActions, 0, "/dev/null", Libc.OReadOnly, 0), "posix_spawn_file_actions_addopen");
            for (var i = 0; i < descriptors.Count; i++)
            {
                Check(Libc.posix_spawn_file_actions_adddup2(fileActions, sources[i], descriptors[i].Target), "posix_spawn_file_actions_adddup2");
            }

            Check(Libc.posix_spawn_file_actions_addclosefrom_np(fileActions, highestTarget + 1), "posix_spawn_file_actions_addclosefrom_np");

            Check(Libc.posix_spawnattr_init(attributes), "posix_spawnattr_init");
            attributesReady = true;
            Check(Libc.posix_spawnattr_setflags(attributes, Libc.PosixSpawnSetSigDef | Libc.PosixSpawnSetSigMask | Libc.PosixSpawnSetSid), "posix_spawnattr_setflags");
            _ = Libc.sigfillset(signals);
            Check(Libc.posix_spawnattr_setsigdefault(attributes, signals), "posix_spawnattr_setsigdefault");
            _ = Libc.sigemptyset(signals);
            Check(Libc.posix_spawnattr_setsigmask(attributes, signals), "posix_spawnattr_setsigmask");

            int pid;
            // posix_spawn returns the error number instead of setting errno.
            Check(Libc.posix_spawn(&pid, path, fileActions, attributes, argv, envp), "posix_spawn " + path);
            return pid;
        }
        finally
        {
            if (actionsReady)
            {
                _ = Libc.posix_spawn_file_actions_destroy(fileActions);
            }

            if (attributesReady)
            {
                _ = Libc.posix_spawnattr_destroy(attributes);
            }

            for (var i = 0; i < arguments.Count; i++)
            {
                Marshal.FreeCoTaskMem((nint)argv[i]);
            }

            NativeMemory.Free(argv);
            NativeMemory.Free(envp);
            NativeMemory.Free(signals);
            NativeMemory.Free(attributes);
            NativeMemory.Free(fileActions);
            CloseAll(temporaries);
        }
    }

    private static void CloseAll(List<int> descriptors)
    {
        foreach (var fd in descriptors)
        {
            _ = Libc.close(fd);
        }
    }

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw Libc.Error(call, result);
        }
    }
}
