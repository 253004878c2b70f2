namespace Kindling.Sandbox;

/// <summary>How a sandbox's writable /tmp is provided.</summary>
public enum TmpStorageKind
{
    /// <summary>
    /// An ext4 file system on a loop device per sandbox, backed by a sparse image in the state directory
    /// (direct I/O, no double caching). Its pages are ordinary page cache: the kernel writes them back and
    /// reclaims them under memory pressure, so a full /tmp never OOM-kills the function. Needs root and loop
    /// devices.
    /// </summary>
    LoopbackExt4,

    /// <summary>
    /// A size-limited tmpfs. Costs nothing to set up, but tmpfs pages are charged to the writer's memory group
    /// and cannot be reclaimed without swap, so the memory limit is raised by the /tmp size: a function with an
    /// empty /tmp may then use up to MemorySize + TmpSize. For hosts without loop devices.
    /// </summary>
    Tmpfs,
}
