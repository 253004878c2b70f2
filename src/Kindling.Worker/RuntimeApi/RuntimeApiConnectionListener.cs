using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace Kindling.Worker.RuntimeApi;

/// <summary>
/// Kestrel's one listener for the Runtime API: hands out the connections every environment's accept loop
/// queued. Returns null from <see cref="AcceptAsync"/> only once unbound (Kestrel stops accepting for good on
/// the first null).
/// </summary>
internal sealed class RuntimeApiConnectionListener : IConnectionListener
{
    private readonly ChannelReader<ConnectionContext> _connections;
    private readonly CancellationTokenSource _unbound = new();

    public RuntimeApiConnectionListener(EndPoint endPoint, ChannelReader<ConnectionContext> connections)
    {
        EndPoint = endPoint;
        _connections = connections;
    }

    public EndPoint EndPoint { get; }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _connections.ReadAsync(_unbound.Token);
        }
        catch (OperationCanceledException) when (_unbound.IsCancellationRequested)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _unbound.Cancel();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _unbound.Cancel();
        _unbound.Dispose();
        return ValueTask.CompletedTask;
    }
}
