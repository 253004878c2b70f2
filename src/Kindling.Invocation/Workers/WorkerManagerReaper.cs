using Microsoft.Extensions.Hosting;

namespace Kindling.Invocation.Workers;

/// <summary>
/// The worker manager's clock and shutdown path: one periodic timer (through <see cref="TimeProvider"/>) that
/// reaps idle environments for every pool, and, when the host stops, the shutdown of every environment.
/// </summary>
internal sealed class WorkerManagerReaper(WorkerManager manager, WorkerManagerOptions options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ReapInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await manager.ReapAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await manager.ShutdownAsync(cancellationToken);
    }
}
