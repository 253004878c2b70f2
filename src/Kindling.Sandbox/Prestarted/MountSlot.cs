using Kindling.Sandbox.Interop;

namespace Kindling.Sandbox.Prestarted;

/// <summary>
/// The host side of a pre-started sandbox's <c>/var/task</c> and <c>/opt</c>: two empty directories, each a shared
/// mount point that the sandbox binds before it has a function. Binding the function's code and layers onto them
/// at specialization propagates into the sandbox (its copies are slaves). Lives under the worker's scope
/// directory, itself a private mount point, so nothing propagates to the host's other mount namespaces.
/// </summary>
internal sealed class MountSlot : IDisposable
{
    private readonly string _directory;
    private int _disposed;

    private MountSlot(string directory)
    {
        _directory = directory;
        TaskDirectory = Path.Combine(directory, "task");
        OptDirectory = Path.Combine(directory, "opt");
    }

    /// <summary>The mount point the sandbox binds at /var/task.</summary>
    public string TaskDirectory { get; }

    /// <summary>The mount point the sandbox binds at /opt.</summary>
    public string OptDirectory { get; }

    /// <summary>Makes the slot's mount points under <paramref name="scopeDirectory"/>.</summary>
    public static MountSlot Create(string scopeDirectory, string id)
    {
        var slot = new MountSlot(Path.Combine(scopeDirectory, id));
        try
        {
            UnixModes.CreateDirectory(slot._directory, UnixModes.WorldSearchable);
            foreach (var directory in new[] { slot.TaskDirectory, slot.OptDirectory })
            {
                // Listable by the sandbox's user: an empty /opt stays listable, as Lambda's is.
                UnixModes.CreateDirectory(directory, UnixModes.WorldReadable);
                Mounts.MakeSharedMountPoint(directory);
            }

            return slot;
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }

    /// <summary>Binds the code (and the layers, if any) read-only onto the mount points.</summary>
    public void Attach(string taskDirectory, string? optDirectory)
    {
        Mounts.BindReadOnly(taskDirectory, TaskDirectory);
        if (optDirectory is not null)
        {
            Mounts.BindReadOnly(optDirectory, OptDirectory);
        }
    }

    /// <summary>Unmounts everything (lazily: a sandbox still using it keeps its copies) and removes the directories.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Remove(_directory);
        }
    }

    /// <summary>
    /// Removes what the worker that made <paramref name="scopeDirectory"/> left (its slots and the scope's own mount):
    /// unmounts first, then removes empty directories only, so code that is somehow still mounted is never deleted.
    /// </summary>
    public static void RemoveScope(string scopeDirectory)
    {
        if (!Directory.Exists(scopeDirectory))
        {
            return;
        }

        foreach (var slot in Directory.EnumerateDirectories(scopeDirectory))
        {
            Remove(slot);
        }

        if (Mounts.DetachAll(scopeDirectory))
        {
            TryRemoveDirectory(scopeDirectory);
        }
    }

    private static void Remove(string directory)
    {
        var clean = true;
        foreach (var mountPoint in new[] { Path.Combine(directory, "task"), Path.Combine(directory, "opt") })
        {
            if (Mounts.DetachAll(mountPoint))
            {
                clean &= TryRemoveDirectory(mountPoint);
            }
            else
            {
                clean = false;
            }
        }

        if (clean)
        {
            TryRemoveDirectory(directory);
        }
    }

    private static bool TryRemoveDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: false);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
