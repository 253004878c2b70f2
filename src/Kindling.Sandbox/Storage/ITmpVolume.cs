namespace Kindling.Sandbox.Storage;

/// <summary>One sandbox's /tmp. Disposing it releases the storage (the sandbox must be gone).</summary>
internal interface ITmpVolume : IDisposable
{
    /// <summary>Host directory to bind at /tmp, or null for a tmpfs that bubblewrap mounts itself.</summary>
    string? HostDirectory { get; }

    /// <summary>Size in bytes.</summary>
    long SizeBytes { get; }
}
