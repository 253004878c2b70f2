using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Kindling.Worker.RuntimeApi;

/// <summary>
/// The Runtime API's transport (DESIGN §2): one Kestrel serves every environment. Each environment's listening
/// socket (127.0.0.1:9001 inside its own network namespace) is added with <see cref="Register"/> when it starts
/// and removed when it ends; its accepted connections become Kestrel connections through
/// <see cref="SocketConnectionContextFactory"/>, tagged with a <see cref="RuntimeSessionFeature"/>, and reach
/// Kestrel through the one listener bound to <see cref="RuntimeApiEndPoint"/>. Connections accepted while the
/// server is not bound wait for it.
/// </summary>
internal sealed class RuntimeApiTransport : IConnectionListenerFactory, IConnectionListenerFactorySelector, IDisposable
{
    private readonly Channel<ConnectionContext> _connections =
        Channel.CreateUnbounded<ConnectionContext>(new UnboundedChannelOptions { SingleReader = true });

    private readonly SocketConnectionContextFactory _factory;
    private readonly ILogger _logger;

    public RuntimeApiTransport(ILogger<RuntimeApiTransport> logger)
    {
        _logger = logger;
        // Wait for data before renting a read buffer: most of these connections sit in a long poll.
        _factory = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions { WaitForDataBeforeAllocatingBuffer = true }, logger);
    }

    public bool CanBind(EndPoint endpoint) => endpoint is RuntimeApiEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not RuntimeApiEndPoint)
        {
            throw new NotSupportedException($"{endpoint} is not the Runtime API endpoint.");
        }

        return ValueTask.FromResult<IConnectionListener>(new RuntimeApiConnectionListener(endpoint, _connections.Reader));
    }

    /// <summary>Starts serving an environment's listening socket; dispose the result to stop.</summary>
    public RuntimeApiRegistration Register(Socket listener, RuntimeSession session)
        => new(listener, session, this, _logger);

    public void Dispose()
    {
        _connections.Writer.TryComplete();
        while (_connections.Reader.TryRead(out var connection))
        {
            connection.Abort();
        }

        _factory.Dispose();
    }

    /// <summary>Wraps an accepted socket and queues it for Kestrel; false once the transport is disposed.</summary>
    internal bool Accept(Socket socket, RuntimeSession session)
    {
        socket.NoDelay = true;
        var connection = _factory.Create(socket);
        connection.Features.Set(new RuntimeSessionFeature(session));
        if (_connections.Writer.TryWrite(connection))
        {
            return true;
        }

        connection.Abort();
        return false;
    }
}
