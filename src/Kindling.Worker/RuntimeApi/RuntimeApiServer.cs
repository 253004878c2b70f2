using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kindling.Worker.RuntimeApi;

/// <summary>
/// The Kestrel server of the Runtime API, as its own small web application: HTTP/1.1 only, one terminal
/// delegate, no routing, no per-request logging, bound only to <see cref="RuntimeApiEndPoint"/> (so nothing
/// outside the sandboxes can reach it). Runtimes sit in <c>next</c> long polls and environments are frozen
/// between invocations, so the connection timeouts that protect a public server are off.
/// </summary>
internal sealed class RuntimeApiServer : IHostedService, IAsyncDisposable
{
    /// <summary>How long stopping waits for open requests (parked <c>next</c> polls never finish by themselves).</summary>
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(1);

    /// <summary>
    /// "No timeout" for Kestrel's keep-alive and request-header timers. Not <see cref="Timeout.InfiniteTimeSpan"/>:
    /// Kestrel stores that as <see cref="TimeSpan.MaxValue"/> and adds it to the current time, which overflows,
    /// so every connection still waiting for its first request was closed at the next heartbeat (measured here:
    /// curl's "Empty reply from server" on about one connection in a hundred).
    /// </summary>
    private static readonly TimeSpan s_noTimeout = TimeSpan.FromDays(3650);

    private readonly RuntimeApiTransport _transport;
    private readonly RuntimeApiHandler _handler;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WebApplication? _application;
    private int _disposed;

    public RuntimeApiServer(RuntimeApiTransport transport, RuntimeApiHandler handler, ILoggerFactory loggerFactory)
    {
        _transport = transport;
        _handler = handler;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<RuntimeApiServer>();
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_application is not null)
            {
                return;
            }

            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "Kindling.Worker.RuntimeApi" });
            builder.Services.AddSingleton(_loggerFactory);
            builder.Services.AddSingleton<IConnectionListenerFactory>(_transport);
            builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
            {
                options.AddServerHeader = false;
                options.AllowSynchronousIO = false;
                var limits = options.Limits;
                limits.KeepAliveTimeout = s_noTimeout;
                limits.RequestHeadersTimeout = s_noTimeout;
                limits.MinRequestBodyDataRate = null;
                limits.MinResponseDataRate = null;
                options.Listen(new RuntimeApiEndPoint(), listen => listen.Protocols = HttpProtocols.Http1);
            });
            var application = builder.Build();
            application.Run(_handler.HandleAsync);
            await application.StartAsync(cancellationToken);
            _application = application;
            WorkerLog.RuntimeApiStarted(_logger);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_application is not { } application)
            {
                return;
            }

            _application = null;
            using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            grace.CancelAfter(s_stopGrace);
            await application.StopAsync(grace.Token);
            await application.DisposeAsync();
            WorkerLog.RuntimeApiStopped(_logger);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <remarks>Idempotent: the container holds this instance twice (as itself and as a hosted service).</remarks>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync(CancellationToken.None);
        _gate.Dispose();
    }
}
