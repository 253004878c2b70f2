using System.Diagnostics;
using System.Globalization;
using Kindling.Sandbox.Interop;

namespace Kindling.Sandbox.Storage;

/// <summary>
/// A freshly made, empty ext4 image of one size, kept as its non-hole extents (≈ 0.4 MB for 512 MB, 4.4 MB for
/// 10 GB): a new volume is a sparse file with these bytes written back, so mkfs (13 ms) runs once per size
/// rather than once per sandbox. The image is sized so that the free space seen inside is at least the
/// requested size: ext4's metadata and delayed-allocation reserve take 2–9 % of a raw image.
/// </summary>
internal sealed class Ext4Template
{
    /// <summary>The file system's block size, also the loop device's.</summary>
    public const int BlockSize = 4096;

    /// <summary>
    /// ext4 without a journal (nothing in /tmp must survive a crash; writes stay cheap), without reserved blocks
    /// or online-resize space, inode tables left to the sparse file's zeros; mounted without the lazy inode-table
    /// zeroing thread, which those zeros make unnecessary.
    /// </summary>
    public const string MountOptions = "noinit_itable";

    private static readonly string[] s_mkfsPaths = ["/usr/sbin/mkfs.ext4", "/sbin/mkfs.ext4"];

    private readonly List<(long Offset, byte[] Data)> _extents;

    private Ext4Template(long imageBytes, List<(long Offset, byte[] Data)> extents)
    {
        ImageBytes = imageBytes;
        _extents = extents;
    }

    /// <summary>The image file's size.</summary>
    public long ImageBytes { get; }

    /// <summary>Makes the template: mkfs, then mount it once to measure the free space, grow it if short.</summary>
    public static async Task<Ext4Template> BuildAsync(
        string workDirectory, long sizeBytes, int ownerUid, int ownerGid, CancellationToken cancellationToken)
    {
        var image = Path.Combine(workDirectory, "template-" + sizeBytes.ToString(CultureInfo.InvariantCulture) + ".img");
        var mountPoint = image + ".mnt";
        var imageBytes = RoundUp(sizeBytes);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                File.Delete(image);
                await using (var file = new FileStream(image, FileMode.CreateNew, FileAccess.Write))
                {
                    file.SetLength(imageBytes);
                }

                await MakeFileSystemAsync(image, ownerUid, ownerGid, cancellationToken);
                var available = Prepare(image, mountPoint);
                if (available >= sizeBytes)
                {
                    return new Ext4Template(imageBytes, ReadExtents(image));
                }

                if (attempt == 3)
                {
                    throw new InvalidOperationException($"An ext4 image of {imageBytes} bytes still offers only {available} bytes.");
                }

                imageBytes = RoundUp(imageBytes + (sizeBytes - available) + 16 * BlockSize);
            }
        }
        finally
        {
            File.Delete(image);
            if (Directory.Exists(mountPoint))
            {
                Directory.Delete(mountPoint);
            }
        }
    }

    /// <summary>Creates <paramref name="path"/> (which must not exist) as a copy of the template.</summary>
    public unsafe void WriteImage(string path)
    {
        var fd = Descriptors.Open(path, Libc.OReadWrite | Libc.OCreate | Libc.OExclusive);
        try
        {
            if (Libc.ftruncate(fd, ImageBytes) != 0)
            {
                throw Libc.LastError("ftruncate " + path);
            }

            foreach (var (offset, data) in _extents)
            {
                fixed (byte* buffer = data)
                {
                    var written = 0;
                    while (written < data.Length)
                    {
                        var result = Libc.pwrite(fd, buffer + written, data.Length - written, offset + written);
                        if (result <= 0)
                        {
                            throw Libc.LastError("pwrite " + path);
                        }

                        written += (int)result;
                    }
                }
            }
        }
        finally
        {
            Libc.CloseQuietly(ref fd);
        }
    }

    private static long RoundUp(long bytes) => (bytes + BlockSize - 1) / BlockSize * BlockSize;

    private static async Task MakeFileSystemAsync(string image, int ownerUid, int ownerGid, CancellationToken cancellationToken)
    {
        var mkfs = s_mkfsPaths.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("mkfs.ext4 not found (Debian package e2fsprogs).");
        var start = new ProcessStartInfo(mkfs)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-q", "-F", "-b", BlockSize.ToString(CultureInfo.InvariantCulture), "-m", "0", "-i", "16384", "-I", "256",
            "-O", "^has_journal,^resize_inode",
            "-E", string.Create(CultureInfo.InvariantCulture, $"lazy_itable_init=1,nodiscard,root_owner={ownerUid}:{ownerGid}"),
            image,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("mkfs.ext4 did not start.");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mkfs.ext4 failed ({process.ExitCode}): {await errors}");
        }
    }

    /// <summary>Mounts the image, empties and opens up its root (no lost+found, mode 1777), returns the free space.</summary>
    private static long Prepare(string image, string mountPoint)
    {
        Directory.CreateDirectory(mountPoint);
        var (device, fd) = LoopDevice.Attach(image, BlockSize);
        try
        {
            if (Libc.mount(device, mountPoint, "ext4", Libc.MsNoSuid | Libc.MsNoDev, MountOptions) != 0)
            {
                throw Libc.LastError("mount " + device);
            }
        }
        finally
        {
            Libc.CloseQuietly(ref fd);
        }

        try
        {
            Directory.Delete(Path.Combine(mountPoint, "lost+found"));
            UnixModes.Set(mountPoint, (UnixFileMode)0x3FF); // 1777, like any /tmp.
            return new DriveInfo(mountPoint).AvailableFreeSpace;
        }
        finally
        {
            if (Libc.umount2(mountPoint, 0) != 0)
            {
                throw Libc.LastError("umount " + mountPoint);
            }
        }
    }

    /// <summary>The image's data extents (everything but holes), found with SEEK_DATA/SEEK_HOLE.</summary>
    private static unsafe List<(long Offset, byte[] Data)> ReadExtents(string image)
    {
        var extents = new List<(long, byte[])>();
        var fd = Descriptors.Open(image, Libc.OReadOnly);
        try
        {
            long position = 0;
            while (true)
            {
                var dataStart = Libc.lseek(fd, position, Libc.SeekData);
                if (dataStart < 0)
                {
                    break; // ENXIO: no data after position.
                }

                var dataEnd = Libc.lseek(fd, dataStart, Libc.SeekHole);
                var data = new byte[dataEnd - dataStart];
                fixed (byte* buffer = data)
                {
                    var read = 0;
                    while (read < data.Length)
                    {
                        var result = Libc.pread(fd, buffer + read, data.Length - read, dataStart + read);
                        if (result <= 0)
                        {
                            throw Libc.LastError("pread " + image);
                        }

                        read += (int)result;
                    }
                }

                extents.Add((dataStart, data));
                position = dataEnd;
            }
        }
        finally
        {
            Libc.CloseQuietly(ref fd);
        }

        return extents;
    }
}
