using System.Runtime.InteropServices;
using System.Text;
using Kindling.Sandbox.Interop;

namespace Kindling.Sandbox.Storage;

/// <summary>
/// Attaches an image file to a free loop device with <c>LOOP_CONFIGURE</c> (kernel ≥ 5.8): direct I/O (the
/// file's own page cache would duplicate the file system's) and auto-clear (the device detaches itself once the
/// file system on it is unmounted and the last descriptor closed, so nothing needs tracking).
/// </summary>
internal static unsafe class LoopDevice
{
    private const ulong LoopControlGetFree = 0x4C82;
    private const ulong LoopConfigure = 0x4C0A;
    private const uint FlagAutoClear = 4;
    private const uint FlagDirectIo = 16;
    private const int MaxAttempts = 32;
    private static readonly Lock s_attach = new();

    /// <summary><c>struct loop_config</c>: fd, block_size, struct loop_info64 (232 bytes), 8 reserved u64.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct LoopConfig
    {
        public uint Fd;
        public uint BlockSize;
        public ulong Device;
        public ulong Inode;
        public ulong RDevice;
        public ulong Offset;
        public ulong SizeLimit;
        public uint Number;
        public uint EncryptType;
        public uint EncryptKeySize;
        public uint Flags;
        public fixed byte FileName[64];
        public fixed byte CryptName[64];
        public fixed byte EncryptKey[32];
        public fixed ulong Init[2];
        public fixed ulong Reserved[8];
    }

    /// <summary>Attaches <paramref name="imagePath"/>.</summary>
    /// <returns>The device path and an open descriptor on it (close it once the file system is mounted).</returns>
    public static (string Path, int Fd) Attach(string imagePath, uint blockSize)
    {
        var control = Descriptors.Open("/dev/loop-control", Libc.OReadWrite);
        var backing = -1;
        try
        {
            backing = Descriptors.Open(imagePath, Libc.OReadWrite);
            for (var attempt = 0; ; attempt++)
            {
                // The kernel hands the same free device to every caller until one configures it: this process's
                // launches (hundreds at once in a burst) take turns, and only other processes can still race.
                using var turn = s_attach.EnterScope();
                var number = Libc.ioctl(control, LoopControlGetFree, 0);
                if (number < 0)
                {
                    throw Libc.LastError("ioctl(LOOP_CTL_GET_FREE)");
                }

                var path = "/dev/loop" + number;
                var device = Descriptors.Open(path, Libc.OReadWrite);
                var config = new LoopConfig { Fd = (uint)backing, BlockSize = blockSize, Flags = FlagAutoClear | FlagDirectIo };
                var name = Encoding.UTF8.GetBytes(imagePath);
                for (var i = 0; i < Math.Min(name.Length, 63); i++)
                {
                    config.FileName[i] = name[i];
                }

                if (Libc.ioctl(device, LoopConfigure, (nint)(&config)) == 0)
                {
                    return (path, device);
                }

                // Another process took the free device between the two calls: ask again.
                var error = Libc.LastError("ioctl(LOOP_CONFIGURE) " + path);
                Libc.CloseQuietly(ref device);
                if (error.HResult != Libc.EBusy || attempt == MaxAttempts)
                {
                    throw error;
                }
            }
        }
        finally
        {
            Libc.CloseQuietly(ref backing);
            Libc.CloseQuietly(ref control);
        }
    }
}
