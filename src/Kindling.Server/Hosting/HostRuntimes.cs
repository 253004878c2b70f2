using Kindling.Functions.Runtimes;
using Kindling.Worker.Runtimes;

namespace Kindling.Server.Hosting;

/// <summary>The runtimes this server offers: the custom ones always, the managed ones its registry found.</summary>
internal static class HostRuntimes
{
    public static async Task<RuntimeRegistry> DiscoverAsync(string? runtimesDirectory, IReadOnlyDictionary<string, string> interpreters)
    {
        var registryOptions = new RuntimeRegistryOptions { Interpreters = interpreters };
        if (runtimesDirectory is { } directory)
        {
            registryOptions = registryOptions with { RuntimesDirectory = directory };
        }

        return await RuntimeRegistry.DiscoverAsync(registryOptions);
    }

    /// <summary>Only identifiers Lambda knows can be created, so only those are offered.</summary>
    public static RuntimeCatalog Catalog(RuntimeRegistry registry) =>
        new([.. RuntimeCatalog.Custom, .. registry.Runtimes.Select(r => r.Identifier).Where(RuntimeCatalog.LambdaRuntimes.Contains)]);
}
