using System.Net;
using System.Net.Sockets;
using Kindling.Sandbox.Interop;

namespace Kindling.Sandbox.Networking;

/// <summary>
/// Opens a listening TCP socket inside another process's network namespace. A socket's namespace is fixed when
/// it is created, so the calling thread enters the namespace, creates and binds the socket, and returns; the
/// socket then serves from any thread. Must run on a dedicated thread (setns changes only the caller, and a
/// pool thread left in a sandbox's namespace would be a leak), see <c>SandboxThread</c>. Cost ≈ 20–26 µs.
/// </summary>
internal static class NamespaceListener
{
    private const int IpProtocolIp = 0;
    private const int IpFreeBind = 15;
    private const int Backlog = 512;

    /// <summary>Creates the listener in the network namespace of <paramref name="pid"/>.</summary>
    /// <exception cref="InvalidOperationException">
    /// The thread could not return to its own namespace; it must not be used again.
    /// </exception>
    public static Socket Create(int pid, IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return CreateIn(pid, () => CreateHere(endPoint));
    }

    /// <summary>
    /// An unconnected TCP socket of the network namespace of <paramref name="pid"/>, to connect to a listener of
    /// the sandbox from any thread (the namespace is fixed at creation).
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The thread could not return to its own namespace; it must not be used again.
    /// </exception>
    public static Socket CreateClient(int pid)
        => CreateIn(pid, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true });

    private static Socket CreateIn(int pid, Func<Socket> create)
    {
        // thread-self, not self: /proc/self/ns/net is the main thread's namespace.
        var own = Descriptors.Open("/proc/thread-self/ns/net", Libc.OReadOnly);
        var target = -1;
        try
        {
            target = Descriptors.Open($"/proc/{pid}/ns/net", Libc.OReadOnly);
            if (Libc.setns(target, Libc.CloneNewNet) != 0)
            {
                throw Libc.LastError("setns into the sandbox's network namespace");
            }

            Socket socket;
            try
            {
                socket = create();
            }
            catch
            {
                Return(own);
                throw;
            }

            try
            {
                Return(own);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            return socket;
        }
        finally
        {
            Libc.CloseQuietly(ref target);
            Libc.CloseQuietly(ref own);
        }
    }

    private static void Return(int own)
    {
        if (Libc.setns(own, Libc.CloneNewNet) != 0)
        {
            throw new InvalidOperationException("Could not return to the worker's network namespace.", Libc.LastError("setns"));
        }
    }

    /// <summary>Creates the listener in the calling thread's network namespace.</summary>
    public static Socket CreateHere(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // bubblewrap reports the pid before the sandbox's loopback is up: without IP_FREEBIND, binding
            // 127.0.0.1 failed with EADDRNOTAVAIL in 1 of 20–200 launches (sandbox-notes, pitfall 1).
            // Raw: the runtime's SocketOptionName does not map IP_FREEBIND.
            socket.SetRawSocketOption(IpProtocolIp, IpFreeBind, [1, 0, 0, 0]);
            socket.Bind(endPoint);
            socket.Listen(Backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
