using System.Runtime.InteropServices;

namespace Kindling.Runtime.Dotnet.RuntimeApi;

/// <summary>
/// A blocking IPv4 TCP socket straight on libc. System.Net.Sockets costs the runtime several milliseconds of start-up
/// on a full core (its assemblies, telemetry event sources, the epoll engine thread) and several times that on the
/// fraction of a core small functions get; the Runtime API needs connect, send and recv on one connection.
/// </summary>
internal sealed partial class RawSocket : IDisposable
{
    private const int AfInet = 2;
    private const int SockStream = 1;
    private const int IpProtoTcp = 6;
    private const int TcpNoDelay = 1;
    private const int MsgNoSignal = 0x4000;
    private const int EIntr = 4;

    private int _fd;

    private RawSocket(int fd) => _fd = fd;

    /// <summary>Connects to an IPv4 address (four bytes) and port.</summary>
    public static unsafe RawSocket Connect(ReadOnlySpan<byte> address, int port)
    {
        var fd = socket(AfInet, SockStream, IpProtoTcp);
        if (fd < 0)
        {
            throw Error("socket");
        }

        var result = new RawSocket(fd);
        try
        {
            var one = 1;
            _ = setsockopt(fd, IpProtoTcp, TcpNoDelay, &one, sizeof(int));
            Span<byte> sockaddr = stackalloc byte[16];
            sockaddr.Clear();
            sockaddr[0] = AfInet; // sin_family, little-endian
            sockaddr[2] = (byte)(port >> 8); // sin_port, network order
            sockaddr[3] = (byte)port;
            address.CopyTo(sockaddr[4..]);
            int rc;
            fixed (byte* p = sockaddr)
            {
                while ((rc = connect(fd, p, 16)) < 0 && Marshal.GetLastPInvokeError() == EIntr)
                {
                }
            }

            if (rc < 0)
            {
                throw Error("connect");
            }

            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    public unsafe void SendAll(ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            var offset = 0;
            while (offset < data.Length)
            {
                var sent = send(_fd, start + offset, data.Length - offset, MsgNoSignal);
                if (sent < 0)
                {
                    if (Marshal.GetLastPInvokeError() == EIntr)
                    {
                        continue;
                    }

                    throw Error("send");
                }

                offset += (int)sent;
            }
        }
    }

    /// <summary>Reads what is available (at least one byte), or 0 at the end of the stream.</summary>
    public unsafe int Receive(byte[] buffer, int offset, int count)
    {
        fixed (byte* start = buffer)
        {
            while (true)
            {
                var read = recv(_fd, start + offset, count, 0);
                if (read >= 0)
                {
                    return (int)read;
                }

                if (Marshal.GetLastPInvokeError() != EIntr)
                {
                    throw Error("recv");
                }
            }
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = close(_fd);
            _fd = -1;
        }
    }

    private static IOException Error(string call) => new($"{call} failed: errno {Marshal.GetLastPInvokeError()}");

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static unsafe partial int connect(int fd, byte* address, int length);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static unsafe partial int setsockopt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static unsafe partial nint send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static unsafe partial nint recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc.so.6")]
    private static partial int close(int fd);
}
