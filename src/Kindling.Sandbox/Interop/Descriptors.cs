using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;

namespace Kindling.Sandbox.Interop;

/// <summary>Raw descriptors the spawner hands to bubblewrap: pipes, in-memory files, opened paths.</summary>
internal static unsafe class Descriptors
{
    /// <summary>A close-on-exec pipe.</summary>
    public static (int Read, int Write) CreatePipe()
    {
        var fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.OCloseOnExec) != 0)
        {
            throw Libc.LastError("pipe2");
        }

        return (fds[0], fds[1]);
    }

    /// <summary>A close-on-exec in-memory file holding <paramref name="content"/>, positioned at its start.</summary>
    public static int CreateMemoryFile(string name, ReadOnlySpan<byte> content)
    {
        var fd = Libc.memfd_create(name, Libc.MfdCloseOnExec);
        if (fd < 0)
        {
            throw Libc.LastError("memfd_create");
        }

        try
        {
            WriteAll(fd, content);
            if (Libc.lseek(fd, 0, Libc.SeekSet) != 0)
            {
                throw Libc.LastError("lseek");
            }

            return fd;
        }
        catch
        {
            Libc.CloseQuietly(ref fd);
            throw;
        }
    }

    /// <summary>Opens <paramref name="path"/> with <paramref name="flags"/> (close-on-exec is added).</summary>
    public static int Open(string path, int flags)
    {
        var fd = Libc.open(path, flags | Libc.OCloseOnExec, 0);
        if (fd < 0)
        {
            throw Libc.LastError("open " + path);
        }

        return fd;
    }

    /// <summary>Writes all of <paramref name="content"/>, retrying on EINTR and short writes.</summary>
    public static void WriteAll(int fd, ReadOnlySpan<byte> content)
    {
        fixed (byte* start = content)
        {
            var written = 0;
            while (written < content.Length)
            {
                var result = Libc.write(fd, start + written, content.Length - written);
                if (result < 0)
                {
                    var error = Libc.LastError("write");
                    if (error.HResult == Libc.EIntr)
                    {
                        continue;
                    }

                    throw error;
                }

                written += (int)result;
            }
        }
    }

    /// <summary>
    /// Takes ownership of a pipe's read end as a stream whose asynchronous reads use the runtime's socket engine
    /// (epoll), so an idle sandbox's output costs no blocked thread.
    /// </summary>
    public static Stream OpenPipeReader(int fd)
        => new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(fd, ownsHandle: true));
}
