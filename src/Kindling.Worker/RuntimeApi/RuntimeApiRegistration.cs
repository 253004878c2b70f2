using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Kindling.Worker.RuntimeApi;

/// <summary>One environment's listening socket being served: its accept loop, stopped on dispose.</summary>
internal sealed class RuntimeApiRegistration : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly RuntimeSession _session;
    private readonly RuntimeApiTransport _transport;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public RuntimeApiRegistration(Socket listener, RuntimeSession session, RuntimeApiTransport transport, ILogger logger)
    {
        _listener = listener;
        _session = session;
        _transport = transport;
        _logger = logger;
        _accepting = AcceptLoopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        await Task.Yield();
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                continue;
            }
            catch (SocketException exception)
            {
                // The sandbox closed its listener (it is ending), or the namespace is gone.
                if (!_stop.IsCancellationRequested && exception.SocketErrorCode is not SocketError.OperationAborted and not SocketError.Interrupted)
                {
                    WorkerLog.AcceptFailed(_logger, _session.EnvironmentId, exception);
                }

                return;
            }

            if (_session.FirstConnectionTimestamp == 0)
            {
                _session.FirstConnectionTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
            }

            if (!_transport.Accept(socket, _session))
            {
                return;
            }
        }
    }
}
