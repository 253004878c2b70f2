using Kindling.Functions.State;
using Kindling.Invocation.Admission;
using Kindling.Invocation.Frontend;
using Microsoft.Extensions.DependencyInjection;

namespace Kindling.Invocation;

/// <summary>Registers the Invoke frontend.</summary>
public static class InvocationServiceCollectionExtensions
{
    /// <summary>Adds the Invoke frontend (the worker manager and the worker are registered separately).</summary>
    public static IServiceCollection AddKindlingInvokeFrontend(this IServiceCollection services, AliasRoutingOptions routing)
    {
        services.AddSingleton(routing);
        services.AddSingleton<AliasRouting>();
        services.AddSingleton<ConcurrencyAdmission>();
        services.AddSingleton<FunctionSpecs>();
        services.AddSingleton<ISettledVersionObserver>(provider => provider.GetRequiredService<FunctionSpecs>());
        services.AddSingleton<InvokeService>();
        return services;
    }
}
