using System.CommandLine;
using Kindling.Server.Configuration;
using Kindling.Server.Hosting;
using Kindling.Worker.Runtimes;

namespace Kindling.Server.Cli;

/// <summary><c>kindling server</c>: runs every role in one process with embedded defaults.</summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "Address to serve the API on [default: 127.0.0.1:9000]" };
        var dataDir = new Option<string>("--data-dir") { Description = "Where metadata, code and keys are kept [default: ~/.local/share/kindling]" };
        var region = new Option<string>("--region") { Description = "Region the server presents [default: us-east-1]" };
        var accountId = new Option<string>("--account-id") { Description = "Account id the server presents [default: 000000000000]" };
        var accessKeyId = new Option<string>("--access-key-id") { Description = "Root access key id [default: generated on first start]" };
        var secret = new Option<string>("--secret-access-key") { Description = "Root secret access key [default: generated on first start]" };
        var runtimesDir = new Option<string>("--runtimes-dir") { Description = "Where the runtime interface clients are [default: lambda-runtimes/ beside the executable]" };
        var runtimes = new Option<string>("--runtimes") { Description = "Interpreters for managed runtimes, e.g. python3.12=/opt/python3.12/bin/python3.12,nodejs22.x=/opt/node22/bin/node [default: discovered]" };
        var asyncRetryScale = new Option<string>("--async-retry-scale") { Description = "Multiplies asynchronous invocation retry and back-off delays, for tests (0 to 1) [default: 1]" };
        var concurrencyLimit = new Option<string>("--concurrency-limit") { Description = "The account's concurrency limit: invocations in flight at once [default: 1000]" };
        var scalingRate = new Option<string>("--scaling-rate") { Description = "New execution environments each function may add per 10 seconds [default: 1000]" };
        var memoryBudget = new Option<string>("--memory-budget") { Description = "Memory all execution environments may reserve together, e.g. 64G [default: physical memory less 1 GiB]" };
        var prestarted = new Option<string>("--prestarted") { Description = "Sandboxes kept started ahead of cold starts for each recently used runtime, 0 to disable [default: 2]" };
        var routingSeed = new Option<string>("--routing-seed") { Description = "Seed for weighted alias routing, for reproducible tests [default: unseeded]" };
        var config = new Option<string>("--config") { Description = "JSON file of settings keyed by option name [default: ~/.config/kindling/config.json]" };
        var command = new Command("server", "Start Kindling (API, control plane and worker) in this process.")
        {
            listen, dataDir, region, accountId, accessKeyId, secret, runtimesDir, runtimes, asyncRetryScale,
            concurrencyLimit, scalingRate, memoryBudget, prestarted, routingSeed, config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var commandLine = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["listen"] = parse.GetValue(listen),
                ["data-dir"] = parse.GetValue(dataDir),
                ["region"] = parse.GetValue(region),
                ["account-id"] = parse.GetValue(accountId),
                ["access-key-id"] = parse.GetValue(accessKeyId),
                ["secret-access-key"] = parse.GetValue(secret),
                ["runtimes-dir"] = parse.GetValue(runtimesDir),
                ["runtimes"] = parse.GetValue(runtimes),
                ["async-retry-scale"] = parse.GetValue(asyncRetryScale),
                ["concurrency-limit"] = parse.GetValue(concurrencyLimit),
                ["scaling-rate"] = parse.GetValue(scalingRate),
                ["memory-budget"] = parse.GetValue(memoryBudget),
                ["prestarted"] = parse.GetValue(prestarted),
                ["routing-seed"] = parse.GetValue(routingSeed),
            };
            var configPath = DataDirectory.ConfigPath(parse.GetValue(config));
            SettingSources sources;
            try
            {
                sources = new SettingSources(commandLine, Environment.GetEnvironmentVariable, SettingSources.ReadFile(configPath));
            }
            catch (InvalidOperationException ex)
            {
                await Console.Error.WriteLineAsync("kindling: " + ex.Message);
                return 2;
            }

            IReadOnlyDictionary<string, string> interpreters;
            try
            {
                interpreters = RuntimeRegistryOptions.ParseInterpreters(sources.Get("runtimes"));
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync("kindling: " + ex.Message);
                return 2;
            }

            var options = new ServerOptions
            {
                RuntimesDirectory = sources.Get("runtimes-dir") is { } directory ? Path.GetFullPath(DataDirectory.ExpandHome(directory)) : null,
                Interpreters = interpreters,
                Listen = sources.Get("listen") ?? "127.0.0.1:9000",
                DataDirectory = Path.GetFullPath(DataDirectory.ExpandHome(sources.Get("data-dir") ?? DataDirectory.Default)),
                Region = sources.Get("region") ?? "us-east-1",
                AccountId = sources.Get("account-id") ?? "000000000000",
                AccessKeyId = sources.Get("access-key-id"),
                SecretAccessKey = sources.Get("secret-access-key"),
                AsyncRetryScale = sources.Get("async-retry-scale") ?? "1",
                ConcurrencyLimit = sources.Get("concurrency-limit") ?? "1000",
                ScalingRate = sources.Get("scaling-rate") ?? "1000",
                MemoryBudget = sources.Get("memory-budget"),
                Prestarted = sources.Get("prestarted") ?? "2",
                RoutingSeed = sources.Get("routing-seed"),
            };
            var problems = ServerOptionsValidator.Validate(options);
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await Console.Error.WriteLineAsync("kindling: " + problem);
                }

                return 2;
            }

            return await ServerHost.RunAsync(options, cancellationToken);
        });
        return command;
    }
}
