namespace Kindling.Sandbox.Storage;

/// <summary>One sandbox's /tmp. Disposing it releases the storage (the sandbox must be gone).</summary>
internal interface ITmpVolume : IDisposable
{
    /// <summary>Host directory to bind at /tmp, or null for a tmpfs that bubblewrap mounts itself.</summary>
    string? HostDirectory { get; }

    /// <summary>Size in bytes.</summary>
    long SizeBytes { get; }

    /// <summary>
    /// Takes the volume off the host's mount table once the sandbox's own mount namespace holds a copy of it
    /// (bubblewrap's child exists): every later sandbox copies the host's whole mount table, and bubblewrap reads
    /// it again for each bind, so volumes left mounted on the host make each launch slower than the one before.
    /// The sandbox keeps its /tmp; the file system goes when the sandbox does. Best effort: a volume still
    /// mounted is unmounted when disposed.
    /// </summary>
    void DetachFromHost();
}
