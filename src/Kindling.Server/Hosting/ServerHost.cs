using System.Diagnostics;
using System.Globalization;
using System.Net;
using Kindling.Api;
using Kindling.Functions;
using Kindling.Functions.Arns;
using Kindling.Functions.Services;
using Kindling.Invocation;
using Kindling.Invocation.Async;
using Kindling.Invocation.Frontend;
using Kindling.Invocation.Provisioned;
using Kindling.Invocation.Workers;
using Kindling.Queues;
using Kindling.Queues.Engine;
using Kindling.Server.Configuration;
using Kindling.Storage;
using Kindling.Worker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kindling.Server.Hosting;

/// <summary>The composition root: every role of Kindling in one process.</summary>
internal static class ServerHost
{
    public static async Task<int> RunAsync(ServerOptions options, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        // Discovery runs the interpreters' --version: overlap it with the rest of the start-up.
        var discovery = Task.Run(() => HostRuntimes.DiscoverAsync(options.RuntimesDirectory, options.Interpreters), cancellationToken);
        Directory.CreateDirectory(options.DataDirectory);
        var (rootKey, generated, credentialsPath) = RootCredentials.Resolve(options);
        ServerOptionsValidator.TryParseListen(options.Listen, out var host, out var port);

        // The content root is the executable's directory, not the working directory, and appsettings files are
        // not watched: a watcher on a directory holding the data directory woke on every log line written.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 80L * 1024 * 1024;
            // Kestrel's default (240 B/s after a 5 s grace) failed bodies of clients starved of CPU when hundreds
            // of invokes start at once on a small host, as 400 InvalidRequestContentException. Bodies are bounded
            // by the size limit instead.
            kestrel.Limits.MinRequestBodyDataRate = null;
            if (host == "localhost")
            {
                kestrel.ListenLocalhost(port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(host), port);
            }
        });

        var runtimes = await discovery;
        foreach (var problem in runtimes.Problems)
        {
            await Console.Error.WriteLineAsync("kindling: warning: " + problem);
        }

        var baseUrl = $"http://{options.Listen}";
        builder.Services.AddKindlingStorage(options.DataDirectory);
        builder.Services.AddKindlingFunctions(
            new AccountContext(options.Region, options.AccountId),
            AccountLimitsFor(options),
            new FunctionUrlOptions($"http://{{0}}.lambda-url.{options.Region}.localhost:{port}/"),
            HostRuntimes.Catalog(runtimes));
        builder.Services.AddLambdaApi(options.Region, baseUrl, [rootKey]);
        builder.Services.AddKindlingInvokeFrontend(new AliasRoutingOptions
        {
            Seed = options.RoutingSeed is { } seed ? int.Parse(seed, CultureInfo.InvariantCulture) : null,
        });
        builder.Services.AddKindlingQueues(new QueueEngineOptions
        {
            DatabasePath = Path.Combine(options.DataDirectory, "queues.db"),
            Region = options.Region,
            AccountId = options.AccountId,
        });
        // Hosted services stop in reverse order: the worker's Runtime API server must outlive the manager's shutdown
        // of the environments, so extensions get their SHUTDOWN (spindown) event when the server stops.
        builder.Services.AddSingleton(runtimes);
        ServerOptionsValidator.TryParsePrestarted(options.Prestarted, out var prestarted);
        builder.Services.AddKindlingWorker(new WorkerOptions
        {
            DataDirectory = options.DataDirectory,
            PrestartedSandboxes = prestarted,
            Region = options.Region,
            AccountId = options.AccountId,
        });
        ServerOptionsValidator.TryParseSize(options.MemoryBudget ?? "", out var memoryBudget);
        ServerOptionsValidator.TryParseCount(options.ScalingRate, out var scalingRate);
        var workerManager = new WorkerManagerOptions { ScaleUpLimit = scalingRate };
        builder.Services.AddKindlingWorkerManager(options.MemoryBudget is null
            ? workerManager
            : workerManager with { HostMemoryBytes = memoryBudget, ReserveBytes = 0 });
        builder.Services.AddKindlingProvisionedConcurrency();
        ServerOptionsValidator.TryParseScale(options.AsyncRetryScale, out var retryScale);
        builder.Services.AddKindlingAsyncInvoke(new AsyncInvokeOptions
        {
            DatabasePath = Path.Combine(options.DataDirectory, "async-events.db"),
            Region = options.Region,
            AccountId = options.AccountId,
            RetryDelayScale = retryScale,
        });

        await using var app = builder.Build();
        app.MapLambdaApi();
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? baseUrl;
        StartupBanner.Print(address, options, rootKey, generated, credentialsPath, HostRuntimes.Catalog(runtimes).Available, started.Elapsed);
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    // The account's limit as configured; the unreserved pool's minimum is AWS's 100, or the whole limit when it is
    // smaller (as for a new AWS account limited to 10, where nothing can be reserved).
    private static AccountLimits AccountLimitsFor(ServerOptions options)
    {
        ServerOptionsValidator.TryParseCount(options.ConcurrencyLimit, out var limit);
        return new AccountLimits { ConcurrentExecutions = limit, MinimumUnreservedConcurrency = Math.Min(100, limit) };
    }
}
