using Kindling.Functions.Arns;
using Kindling.Functions.Persistence;
using Kindling.Functions.Runtimes;
using Kindling.Functions.Services;
using Kindling.Functions.State;
using Microsoft.Extensions.DependencyInjection;

namespace Kindling.Functions;

/// <summary>Registers the control plane's services.</summary>
public static class FunctionsServiceCollectionExtensions
{
    /// <summary>Adds the functions, versions, aliases, layers and configuration services and the state reconciler.</summary>
    public static IServiceCollection AddKindlingFunctions(
        this IServiceCollection services, AccountContext account, AccountLimits limits, FunctionUrlOptions urls, RuntimeCatalog runtimes)
    {
        services.AddSingleton(account);
        services.AddSingleton(limits);
        services.AddSingleton(urls);
        services.AddSingleton(runtimes);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Documents>();
        services.AddSingleton<FunctionStore>();
        services.AddSingleton<FunctionStateQueue>();
        services.AddSingleton<FunctionService>();
        services.AddSingleton<VersionService>();
        services.AddSingleton<AliasService>();
        services.AddSingleton<LayerService>();
        services.AddSingleton<ConcurrencySettings>();
        services.AddSingleton<ConcurrencyService>();
        services.AddSingleton<EventInvokeConfigService>();
        services.AddSingleton<EventSourceMappingService>();
        services.AddSingleton<PolicyService>();
        services.AddSingleton<FunctionUrlService>();
        services.AddSingleton<TagService>();
        services.AddSingleton<AccountService>();
        services.AddHostedService<FunctionStateReconciler>();
        return services;
    }
}
