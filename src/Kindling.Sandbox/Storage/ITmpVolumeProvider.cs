namespace Kindling.Sandbox.Storage;

/// <summary>Provides sandboxes' /tmp volumes.</summary>
internal interface ITmpVolumeProvider
{
    /// <summary>
    /// Bytes to add to the sandbox's memory limit so that a full /tmp does not count as function memory (tmpfs
    /// pages are charged to the writer's memory group; disk-backed page cache is reclaimable and needs none).
    /// </summary>
    long MemoryLimitSurcharge(long sizeBytes);

    /// <summary>Creates the volume for sandbox <paramref name="id"/>.</summary>
    ValueTask<ITmpVolume> CreateAsync(string id, long sizeBytes, CancellationToken cancellationToken);

    /// <summary>Releases volumes left by workers that no longer run (their mounts and loop devices).</summary>
    void RemoveLeftovers();
}
