using Kindling.Queues.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kindling.Invocation.Async;

/// <summary>Registers the asynchronous invocation path.</summary>
public static class AsyncInvokeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the internal event queue (needed by the Invoke frontend for Event invokes) and, when
    /// <paramref name="startPollers"/>, the poller pool. Destinations and dead-letter queues use the
    /// <see cref="IQueueEngine"/> registered by <c>AddKindlingQueues</c>. Register after the worker manager: hosted
    /// services stop in reverse order, so the pollers stop before the environments they invoke.
    /// </summary>
    public static IServiceCollection AddKindlingAsyncInvoke(this IServiceCollection services, AsyncInvokeOptions options, bool startPollers = true)
    {
        if (options.RetryDelayScale is < 0 or > 1 || double.IsNaN(options.RetryDelayScale))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RetryDelayScale, "The retry delay scale must be between 0 and 1.");
        }

        if (options.MaxConcurrentInvokes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxConcurrentInvokes, "At least one concurrent invoke is needed.");
        }

        services.AddSingleton(options);
        services.AddSingleton(sp => new AsyncEventQueue(options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(new RetryDelays(options.RetryDelayScale));
        services.AddSingleton<Destinations>();
        services.AddSingleton<AsyncEventProcessor>();
        if (startPollers)
        {
            services.AddHostedService<AsyncEventPoller>();
        }

        return services;
    }
}
