using Kindling.Functions.Arns;
using Kindling.Functions.Model;
using Kindling.Functions.Runtimes;
using Kindling.Functions.Services;
using Kindling.Functions.State;
using Kindling.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kindling.Functions.Tests.TestSupport;

/// <summary>
/// The control plane as the server composes it, over a real SQLite metadata store and code store in a temp
/// directory, with a manual clock. The background reconciler is not started: tests settle pending work by
/// calling <see cref="ReconcileAsync"/>.
/// </summary>
internal sealed class ControlPlane : IAsyncDisposable
{
    public const string Role = "arn:aws:iam::000000000000:role/lambda-role";

    public static readonly AccountContext Account = new("us-east-1", "000000000000");

    private readonly TestDirectory _directory = new();
    private readonly ServiceProvider _provider;

    public ControlPlane(AccountLimits? limits = null, IEnumerable<string>? runtimes = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKindlingStorage(_directory.Path);
        services.AddKindlingFunctions(
            Account,
            limits ?? new AccountLimits(),
            new FunctionUrlOptions("http://{0}.lambda-url.us-east-1.localhost:9000/"),
            new RuntimeCatalog(runtimes ?? RuntimeCatalog.Custom));
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<ICodeLocations, FakeCodeLocations>();
        configure?.Invoke(services);
        _provider = services.BuildServiceProvider();
    }

    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2020, 4, 10, 19, 6, 32, 563, TimeSpan.Zero));

    public FunctionService Functions => _provider.GetRequiredService<FunctionService>();

    public VersionService Versions => _provider.GetRequiredService<VersionService>();

    public AliasService Aliases => _provider.GetRequiredService<AliasService>();

    public ConcurrencyService Concurrency => _provider.GetRequiredService<ConcurrencyService>();

    public FunctionStore Store => _provider.GetRequiredService<FunctionStore>();

    /// <summary>The store under the control plane: writes here bypass its caches.</summary>
    public Kindling.Storage.Metadata.IMetadataStore MetadataStore => _provider.GetRequiredService<Kindling.Storage.Metadata.IMetadataStore>();

    public ConcurrencySettings ConcurrencySettings => _provider.GetRequiredService<ConcurrencySettings>();

    public LayerService Layers => _provider.GetRequiredService<LayerService>();

    public FunctionStateReconciler Reconciler =>
        _provider.GetServices<IHostedService>().OfType<FunctionStateReconciler>().Single();

    public static CreateFunctionRequest CreateRequest(string name, byte[]? zip = null) => new()
    {
        FunctionName = name,
        Role = Role,
        Runtime = "provided.al2023",
        Handler = "bootstrap",
        Code = new FunctionCode { ZipFile = zip ?? Zips.WithBootstrap() },
    };

    public Task ReconcileAsync(string name) => Reconciler.ReconcileAsync(name, CancellationToken.None);

    public Task<FunctionConfiguration> GetConfigurationAsync(string name) =>
        Functions.GetConfigurationAsync(name, null, CancellationToken.None);

    /// <summary>Creates a function with a bootstrap and settles it to Active.</summary>
    public async Task<FunctionConfiguration> CreateActiveAsync(string name, byte[]? zip = null)
    {
        await Functions.CreateAsync(CreateRequest(name, zip), CancellationToken.None);
        await ReconcileAsync(name);
        return await GetConfigurationAsync(name);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        _directory.Dispose();
    }
}
