using System.IO.Compression;
using Kindling.Functions;
using Kindling.Functions.Arns;
using Kindling.Functions.Model;
using Kindling.Functions.Runtimes;
using Kindling.Functions.Services;
using Kindling.Functions.State;
using Kindling.Invocation.Frontend;
using Kindling.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kindling.Invocation.Tests.TestSupport;

/// <summary>The control plane and the Invoke frontend as the server composes them, over real SQLite in a directory.</summary>
internal static class TestControlPlane
{
    public static readonly AccountContext Account = new("us-east-1", "000000000000");

    /// <summary>Adds logging, storage in <paramref name="directory"/>, the control plane and the Invoke frontend.</summary>
    public static IServiceCollection AddTestControlPlane(this IServiceCollection services, string directory)
    {
        services.AddLogging();
        services.AddKindlingStorage(directory);
        services.AddKindlingFunctions(Account, new AccountLimits(), new FunctionUrlOptions("http://{0}.localhost/"), new RuntimeCatalog(RuntimeCatalog.Custom));
        services.AddSingleton<ICodeLocations>(new CodeLocations());
        services.AddKindlingInvokeFrontend(new AliasRoutingOptions());
        return services;
    }

    /// <summary>Creates a <c>provided.al2023</c> function and settles it to Active.</summary>
    public static async Task CreateFunctionAsync(IServiceProvider provider, string name)
    {
        await provider.GetRequiredService<FunctionService>().CreateAsync(
            new CreateFunctionRequest
            {
                FunctionName = name,
                Role = "arn:aws:iam::000000000000:role/r",
                Runtime = "provided.al2023",
                Handler = "bootstrap",
                Code = new FunctionCode { ZipFile = BootstrapZip() },
            },
            CancellationToken.None);
        await ReconcileAsync(provider, name);
    }

    /// <summary>Runs the state reconciler for one function (Pending → Active, InProgress → Successful).</summary>
    public static Task ReconcileAsync(IServiceProvider provider, string name) =>
        provider.GetServices<IHostedService>().OfType<FunctionStateReconciler>().Single().ReconcileAsync(name, CancellationToken.None);

    private static byte[] BootstrapZip()
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(archive.CreateEntry("bootstrap").Open());
            writer.Write("#!/bin/sh\n");
        }

        return buffer.ToArray();
    }

    private sealed class CodeLocations : ICodeLocations
    {
        public string For(string codeId) => "http://localhost/code/" + codeId;
    }
}
