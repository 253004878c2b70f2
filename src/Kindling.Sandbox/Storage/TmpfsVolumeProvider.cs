namespace Kindling.Sandbox.Storage;

/// <summary><see cref="TmpStorageKind.Tmpfs"/>: bubblewrap mounts a size-limited tmpfs; nothing on the host.</summary>
internal sealed class TmpfsVolumeProvider : ITmpVolumeProvider
{
    /// <inheritdoc />
    public long MemoryLimitSurcharge(long sizeBytes) => sizeBytes;

    /// <inheritdoc />
    /// <remarks>tmpfs volumes live in the sandbox's own mount namespace and vanish with it.</remarks>
    public void RemoveLeftovers()
    {
    }

    /// <inheritdoc />
    public ValueTask<ITmpVolume> CreateAsync(string id, long sizeBytes, CancellationToken cancellationToken)
        => ValueTask.FromResult<ITmpVolume>(new TmpfsVolume(sizeBytes));

    private sealed class TmpfsVolume(long sizeBytes) : ITmpVolume
    {
        public string? HostDirectory => null;

        public long SizeBytes { get; } = sizeBytes;

        public void DetachFromHost()
        {
        }

        public void Dispose()
        {
        }
    }
}
