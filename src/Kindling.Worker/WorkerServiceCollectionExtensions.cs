using Kindling.Invocation.Environments;
using Kindling.Sandbox;
using Kindling.Storage.Code;
using Kindling.Worker.Code;
using Kindling.Worker.Environments;
using Kindling.Worker.Logs;
using Kindling.Worker.RuntimeApi;
using Kindling.Worker.Runtimes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Kindling.Worker;

/// <summary>Registers the worker: execution environments, the Runtime API server, the code cache and logs.</summary>
public static class WorkerServiceCollectionExtensions
{
    /// <summary>
    /// Registers, as singletons, <see cref="IEnvironmentFactory"/> (sandboxed environments speaking the Runtime
    /// API), <see cref="FunctionLogReader"/>, <see cref="ISandboxLauncher"/> (a <see cref="BubblewrapLauncher"/>
    /// with <see cref="WorkerOptions.Sandbox"/>, unless one is registered) and a hosted service that starts and
    /// stops the Runtime API server. Needs an <see cref="ICodeStore"/> (<c>AddKindlingStorage</c>). Nothing
    /// touches the disk or the host until first resolution. The manager that owns the environments must
    /// dispose them before the container disposes the launcher.
    /// </summary>
    public static IServiceCollection AddKindlingWorker(this IServiceCollection services, WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataDirectory);
        if (options.InitTimeout <= TimeSpan.Zero || options.ShutdownTimeout < TimeSpan.Zero)
        {
            throw new ArgumentException("InitTimeout must be positive and ShutdownTimeout not negative.", nameof(options));
        }

        var directories = new WorkerDirectories(options.DataDirectory, options.CacheDirectory);
        var sandboxOptions = options.Sandbox
            ?? new BubblewrapLauncherOptions { StateDirectory = directories.Sandbox, PrestartedPerShape = options.PrestartedSandboxes };

        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options);
        services.TryAddSingleton(_ =>
        {
            directories.Prepare(sandboxOptions);
            return directories;
        });
        services.TryAddSingleton<ISandboxLauncher>(provider =>
        {
            _ = provider.GetRequiredService<WorkerDirectories>();
            return new BubblewrapLauncher(sandboxOptions, provider.GetRequiredService<ILogger<BubblewrapLauncher>>());
        });
        services.TryAddSingleton<CodeCache>();
        services.TryAddSingleton<RuntimeMirror>();
        services.TryAddSingleton<FunctionLogs>();
        services.TryAddSingleton(_ => new FunctionLogReader(options));
        services.TryAddSingleton<RuntimeApiTransport>();
        services.TryAddSingleton<RuntimeApiHandler>();
        services.TryAddSingleton<RuntimeApiServer>();
        services.AddHostedService(provider => provider.GetRequiredService<RuntimeApiServer>());
        services.TryAddSingleton<IEnvironmentFactory>(provider =>
        {
            // The sandboxes' user must be able to reach the code before the first launch.
            _ = provider.GetRequiredService<WorkerDirectories>();
            return ActivatorUtilities.CreateInstance<EnvironmentFactory>(provider);
        });
        return services;
    }
}
