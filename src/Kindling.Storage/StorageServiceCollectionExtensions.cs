using Kindling.Storage.Code;
using Kindling.Storage.Encryption;
using Kindling.Storage.Metadata;
using Kindling.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kindling.Storage;

/// <summary>Registers Kindling's embedded storage (SQLite metadata, local encrypted code store).</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>The metadata database's file name inside the data directory.</summary>
    public const string DatabaseFileName = "kindling.db";

    /// <summary>The code store's directory name inside the data directory.</summary>
    public const string CodeDirectoryName = "code";

    /// <summary>
    /// Registers, as singletons, <see cref="MasterKey"/> (<c>&lt;dataDir&gt;/master.key</c>), <see cref="ICodeStore"/>
    /// (<see cref="ChunkedCodeStore"/> at <c>&lt;dataDir&gt;/code</c>) and <see cref="IMetadataStore"/>
    /// (<see cref="SqliteMetadataStore"/> at <c>&lt;dataDir&gt;/kindling.db</c>). Nothing touches the disk at
    /// registration: each is created by a factory on first resolution (so the composition root can build the
    /// container, e.g. for <c>--help</c>, without a data directory), and the container disposes the metadata
    /// store. Existing registrations of these services are kept (TryAdd), so hosts and tests can substitute them.
    /// </summary>
    public static IServiceCollection AddKindlingStorage(this IServiceCollection services, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var root = Path.GetFullPath(dataDirectory);

        services.TryAddSingleton(_ => MasterKey.LoadOrCreate(root));
        services.TryAddSingleton<ICodeStore>(
            provider => new ChunkedCodeStore(Path.Combine(root, CodeDirectoryName), provider.GetRequiredService<MasterKey>()));
        // The synchronous open behind OpenAsync (Microsoft.Data.Sqlite does no asynchronous I/O): no sync-over-async.
        services.TryAddSingleton<IMetadataStore>(
            _ => SqliteMetadataStore.Open(Path.Combine(root, DatabaseFileName), SqliteMigrations.All));
        return services;
    }
}
