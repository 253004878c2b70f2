using System.IO.Compression;
using Kindling.Invocation.Environments;
using Kindling.Sandbox;
using Kindling.Storage.Code;
using Kindling.Storage.Encryption;
using Kindling.Worker.Environments;
using Kindling.Worker.Logs;
using Kindling.Worker.RuntimeApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kindling.Worker.Tests;

/// <summary>
/// One worker for the integration tests, composed as the server composes it (<c>AddKindlingWorker</c>): a real
/// code store and data directory in a temporary directory, the real bubblewrap launcher, the Runtime API server
/// started through its hosted service.
/// </summary>
public sealed class WorkerFixture : IAsyncLifetime
{
    private const int RegularFile = 0x8000;
    private readonly ServiceProvider _services;
    private int _functions;

    public WorkerFixture()
    {
        DataDirectory = Directory.CreateTempSubdirectory("kindling-worker-tests-").FullName;
        Store = new ChunkedCodeStore(Path.Combine(DataDirectory, "code"), MasterKey.LoadOrCreate(DataDirectory));
        Options = new WorkerOptions
        {
            DataDirectory = DataDirectory,
            Sandbox = new BubblewrapLauncherOptions
            {
                StateDirectory = Path.Combine(DataDirectory, "worker", "sandbox"),
                CgroupName = "kindling-worker-tests",
                TmpVolumePoolSize = 2,
            },
        };
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<ICodeStore>(Store);
        services.AddKindlingWorker(Options);
        _services = services.BuildServiceProvider();
        Factory = _services.GetRequiredService<IEnvironmentFactory>();
        Logs = _services.GetRequiredService<FunctionLogReader>();
    }

    public string DataDirectory { get; }

    public ChunkedCodeStore Store { get; }

    public WorkerOptions Options { get; }

    public IEnvironmentFactory Factory { get; }

    public FunctionLogReader Logs { get; }

    public IServiceProvider Services => _services;

    /// <summary>A factory like the registered one but with other options (short Init timeouts).</summary>
    internal EnvironmentFactory FactoryWith(WorkerOptions options) => ActivatorUtilities.CreateInstance<EnvironmentFactory>(_services, options);

    public static string Asset(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Assets", name));

    /// <summary>A zip whose entries carry Unix modes, as <c>zip</c> on Linux writes them.</summary>
    public static byte[] Zip(params (string Name, string Content, int Mode)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content, mode) in entries)
            {
                var entry = zip.CreateEntry(name);
                entry.ExternalAttributes = (RegularFile | mode) << 16;
                using var writer = new StreamWriter(entry.Open());
                writer.Write(content);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Stores a zip with <paramref name="asset"/> as its executable bootstrap (plus extra entries).</summary>
    public async Task<string> StoreBootstrapAsync(string asset, params (string Name, string Content, int Mode)[] extra)
    {
        var stored = await Store.PutAsync(Zip([("bootstrap", Asset(asset), 0x1ED), .. extra]), CancellationToken.None);
        return stored.Id;
    }

    /// <summary>A function with a unique name (so each test has its own log streams).</summary>
    public FunctionSpec Function(string codeId, string prefix = "fn")
    {
        var name = $"{prefix}-{Interlocked.Increment(ref _functions)}";
        return new FunctionSpec
        {
            FunctionName = name,
            Version = "$LATEST",
            FunctionArn = $"arn:aws:lambda:us-east-1:123456789012:function:{name}",
            Runtime = "provided.al2023",
            Handler = "function.handler",
            MemorySizeMb = 128,
            TimeoutSeconds = 10,
            CodeId = codeId,
            LogGroup = "/aws/lambda/" + name,
            Region = "us-east-1",
            PoolKey = name,
        };
    }

    public static InvocationRequest Request(string payload, FunctionSpec function, bool tail = false) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        Payload = System.Text.Encoding.UTF8.GetBytes(payload),
        InvokedFunctionArn = function.FunctionArn,
        TraceId = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0",
        TailLog = tail,
    };

    /// <summary>Creates an environment (Init included) under a generous deadline.</summary>
    public async Task<IExecutionEnvironment> CreateAsync(FunctionSpec function)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await Factory.CreateAsync(function, InitializationType.OnDemand, timeout.Token);
    }

    public static async Task<InvocationResult> InvokeAsync(IExecutionEnvironment environment, InvocationRequest request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await environment.InvokeAsync(request, timeout.Token);
    }

    /// <summary>Every event of the environment's stream.</summary>
    public async Task<IReadOnlyList<string>> ReadLogAsync(IExecutionEnvironment environment)
    {
        var stream = ((ExecutionEnvironment)environment).LogStreamName;
        var read = await Logs.ReadAsync(environment.Function.FunctionName, stream, 0, 10_000, CancellationToken.None);
        return read.Events.Select(e => e.Message).ToList();
    }

    public async Task InitializeAsync()
    {
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
        if (Environment.GetEnvironmentVariable("KINDLING_KEEP_TEST_DATA") is null)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    internal static RuntimeApiTransport Transport(IServiceProvider services) => services.GetRequiredService<RuntimeApiTransport>();
}
