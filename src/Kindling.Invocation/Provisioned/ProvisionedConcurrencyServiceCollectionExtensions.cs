using Kindling.Functions.Services;
using Microsoft.Extensions.DependencyInjection;

namespace Kindling.Invocation.Provisioned;

/// <summary>Registers provisioned concurrency: the reconciler and the control plane's change signal.</summary>
public static class ProvisionedConcurrencyServiceCollectionExtensions
{
    /// <summary>
    /// Adds the hosted reconciler that allocates provisioned environments for the stored configurations and
    /// writes their status back, and registers it as the <see cref="IProvisionedConcurrencyNotifier"/>
    /// <see cref="ConcurrencyService"/> tells of every put and delete. Needs the functions, the Invoke frontend
    /// and the worker manager registered too; register it after the worker manager so it stops first.
    /// </summary>
    public static IServiceCollection AddKindlingProvisionedConcurrency(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(new ProvisionedConcurrencyOptions());
        services.AddSingleton<ProvisionedConcurrencySignal>();
        services.AddSingleton<IProvisionedConcurrencyNotifier>(sp => sp.GetRequiredService<ProvisionedConcurrencySignal>());
        services.AddHostedService<ProvisionedConcurrencyReconciler>();
        return services;
    }
}
