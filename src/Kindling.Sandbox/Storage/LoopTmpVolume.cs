using Kindling.Sandbox.Interop;

namespace Kindling.Sandbox.Storage;

/// <summary>
/// One ext4 /tmp, mounted on the host (below a private mount, so that taking it off the host never propagates
/// into the sandbox that holds a copy); disposing it unmounts it if still mounted and deletes its image.
/// </summary>
internal sealed class LoopTmpVolume(string image, string mountPoint, long sizeBytes) : ITmpVolume
{
    private int _disposed;

    /// <inheritdoc />
    public string? HostDirectory => mountPoint;

    /// <inheritdoc />
    public long SizeBytes { get; } = sizeBytes;

    /// <summary>The image file.</summary>
    public string ImagePath => image;

    /// <summary>Whether the file system is mounted on <see cref="HostDirectory"/>.</summary>
    public bool Mounted { get; set; }

    /// <inheritdoc />
    public void DetachFromHost()
    {
        if (Mounted && Libc.umount2(mountPoint, Libc.MntDetach) == 0)
        {
            Mounted = false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Detach: with the sandbox gone nothing holds it, and the superblock, then the loop device, go at once.
        // (Usually taken off the host at launch already: then the sandbox's copy was the last mount, and the loop
        // device cleared itself when the sandbox's mount namespace went.)
        if (Mounted && Libc.umount2(mountPoint, Libc.MntDetach) != 0)
        {
            throw Libc.LastError("umount " + mountPoint);
        }

        if (Directory.Exists(mountPoint))
        {
            Directory.Delete(mountPoint);
        }

        File.Delete(image);
    }
}
