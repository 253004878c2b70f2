using System.Runtime.InteropServices;
using System.Text;

namespace Kindling.Sandbox.Interop;

/// <summary>
/// The mount operations of pre-started sandboxes: shared mount points on the host, and read-only binds attached to
/// them with the new mount API (kernel ≥ 5.12), so that the bind is read-only, nosuid and nodev from the moment it
/// exists — propagated copies keep the flags a mount had when it propagated; a later remount would not reach them.
/// </summary>
internal static unsafe class Mounts
{
    // The same numbers on x86-64 and arm64 (these system calls came after the tables were unified).
    private const long SysOpenTree = 428;
    private const long SysMoveMount = 429;
    private const long SysMountSetattr = 442;

    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const int OpenTreeClone = 1;
    private const int MoveMountFromEmptyPath = 0x4;
    private const ulong MountAttrReadOnly = 0x1;
    private const ulong MountAttrNoSuid = 0x2;
    private const ulong MountAttrNoDev = 0x4;

    [StructLayout(LayoutKind.Sequential)]
    private struct MountAttributes
    {
        public ulong Set;
        public ulong Clear;
        public ulong Propagation;
        public ulong UserNamespaceFd;
    }

    /// <summary>
    /// Binds <paramref name="path"/> onto itself and makes it a mount point of its own peer group: what is mounted
    /// on it later propagates into the sandboxes that bound it (bubblewrap makes their copies slaves).
    /// </summary>
    public static void MakeSharedMountPoint(string path) => BindOntoItself(path, Libc.MsShared, "make shared ");

    /// <summary>
    /// Binds <paramref name="path"/> onto itself as a private mount: mount points made below it do not propagate to
    /// the host's other mount namespaces, whatever the host's own propagation.
    /// </summary>
    public static void MakePrivateMountPoint(string path) => BindOntoItself(path, Libc.MsPrivate, "make private ");

    private static void BindOntoItself(string path, ulong propagation, string what)
    {
        if (Libc.mount(path, path, "none", Libc.MsBind, null) != 0)
        {
            throw Libc.LastError("bind " + path);
        }

        if (Libc.mount("none", path, "none", propagation, null) != 0)
        {
            var error = Libc.LastError(what + path);
            DetachAll(path);
            throw error;
        }
    }

    /// <summary>Attaches a read-only, nosuid, nodev bind of <paramref name="source"/> at <paramref name="target"/>.</summary>
    public static void BindReadOnly(string source, string target)
    {
        var sourcePath = Encoding.UTF8.GetBytes(source + "\0");
        var targetPath = Encoding.UTF8.GetBytes(target + "\0");
        var empty = stackalloc byte[1];
        empty[0] = 0;
        int tree;
        fixed (byte* sourcePointer = sourcePath)
        {
            tree = (int)Libc.syscall(SysOpenTree, AtFdCwd, (long)sourcePointer, OpenTreeClone | Libc.OCloseOnExec);
        }

        if (tree < 0)
        {
            throw Libc.LastError("open_tree " + source);
        }

        try
        {
            var attributes = new MountAttributes { Set = MountAttrReadOnly | MountAttrNoSuid | MountAttrNoDev };
            if (Libc.syscall5(SysMountSetattr, tree, (long)empty, AtEmptyPath, (long)&attributes, sizeof(MountAttributes)) != 0)
            {
                throw Libc.LastError("mount_setattr " + source);
            }

            fixed (byte* targetPointer = targetPath)
            {
                if (Libc.syscall5(SysMoveMount, tree, (long)empty, AtFdCwd, (long)targetPointer, MoveMountFromEmptyPath) != 0)
                {
                    throw Libc.LastError("move_mount " + source + " to " + target);
                }
            }
        }
        finally
        {
            Libc.CloseQuietly(ref tree);
        }
    }

    /// <summary>Lazily unmounts everything mounted at <paramref name="path"/>, top first, until nothing is.</summary>
    /// <returns>Whether nothing is mounted there any more (false if an unmount failed otherwise).</returns>
    public static bool DetachAll(string path)
    {
        for (var i = 0; i < 16; i++)
        {
            if (Libc.umount2(path, Libc.MntDetach) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                return error is Libc.EInval or Libc.ENoEnt;
            }
        }

        return false;
    }
}
