using Kindling.Invocation.Environments;
using Kindling.Invocation.Placement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Kindling.Invocation.Workers;

/// <summary>Registers the worker manager and placement.</summary>
public static class WorkerManagerServiceCollectionExtensions
{
    /// <summary>
    /// Adds placement over the host's memory, <see cref="WorkerManager"/> as <see cref="IWorkerManager"/>, and
    /// its hosted reaper (which also shuts every environment down when the host stops). An
    /// <see cref="IEnvironmentFactory"/> must be registered too.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static IServiceCollection AddKindlingWorkerManager(this IServiceCollection services, WorkerManagerOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var problems = WorkerManagerOptionsValidator.Validate(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(_ => new MemoryPlacement(
            HostMemory.Budget(options.HostMemoryBytes, options.ReserveBytes, static () => HostMemory.ReadTotalBytes(HostMemory.MemInfoPath))));
        services.AddSingleton(sp => new WorkerManager(
            sp.GetRequiredService<IEnvironmentFactory>(),
            sp.GetRequiredService<MemoryPlacement>(),
            options,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<WorkerManager>>()));
        services.AddSingleton<IWorkerManager>(sp => sp.GetRequiredService<WorkerManager>());
        services.AddHostedService<WorkerManagerReaper>();
        return services;
    }
}
