using System.CommandLine;
using Kindling.Functions.Runtimes;
using Kindling.Server.Configuration;
using Kindling.Server.Hosting;
using Kindling.Worker.Runtimes;

namespace Kindling.Server.Cli;

/// <summary><c>kindling runtimes</c>: the runtimes a server started with the same settings offers, and where each comes from.</summary>
internal static class RuntimesCommand
{
    public static Command Create()
    {
        var runtimesDir = new Option<string>("--runtimes-dir") { Description = "As for kindling server" };
        var runtimes = new Option<string>("--runtimes") { Description = "As for kindling server" };
        var config = new Option<string>("--config") { Description = "As for kindling server" };
        var command = new Command("runtimes", "List the runtimes this host can run.") { runtimesDir, runtimes, config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            SettingSources sources;
            IReadOnlyDictionary<string, string> interpreters;
            try
            {
                sources = new SettingSources(
                    new Dictionary<string, string?>(StringComparer.Ordinal)
                    {
                        ["runtimes-dir"] = parse.GetValue(runtimesDir),
                        ["runtimes"] = parse.GetValue(runtimes),
                    },
                    Environment.GetEnvironmentVariable,
                    SettingSources.ReadFile(DataDirectory.ConfigPath(parse.GetValue(config))));
                interpreters = RuntimeRegistryOptions.ParseInterpreters(sources.Get("runtimes"));
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException)
            {
                await Console.Error.WriteLineAsync("kindling: " + ex.Message);
                return 2;
            }

            var registry = await HostRuntimes.DiscoverAsync(
                sources.Get("runtimes-dir") is { } directory ? Path.GetFullPath(DataDirectory.ExpandHome(directory)) : null, interpreters);

            var rows = new List<string[]> { new[] { "RUNTIME", "VERSION", "INTERPRETER", "SOURCE" } };
            rows.AddRange(RuntimeCatalog.Custom.Select(id => new[] { id, "-", "the function's bootstrap", "built in" }));
            rows.AddRange(registry.Runtimes
                .Where(r => RuntimeCatalog.LambdaRuntimes.Contains(r.Identifier))
                .Select(r => new[] { r.Identifier, r.Version, r.Interpreter, r.Configured ? "configured" : "discovered" }));
            var widths = Enumerable.Range(0, 4).Select(c => rows.Max(r => r[c].Length)).ToArray();
            foreach (var row in rows)
            {
                await Console.Out.WriteLineAsync(string.Join("  ", row.Select((cell, c) => c == 3 ? cell : cell.PadRight(widths[c]))).TrimEnd());
            }

            foreach (var problem in registry.Problems)
            {
                await Console.Error.WriteLineAsync("kindling: warning: " + problem);
            }

            return 0;
        });
        return command;
    }
}
