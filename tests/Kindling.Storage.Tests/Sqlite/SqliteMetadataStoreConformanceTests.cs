using Kindling.Storage.Metadata;
using Kindling.Storage.Sqlite;
using Kindling.Storage.Tests.Metadata;

namespace Kindling.Storage.Tests.Sqlite;

/// <summary>The shared metadata store suite against SQLite, one database file per test.</summary>
public sealed class SqliteMetadataStoreConformanceTests : MetadataStoreConformanceTests, IDisposable
{
    private readonly TestDirectory _directory = new();

    /// <inheritdoc />
    protected override async ValueTask<IMetadataStore> OpenStoreAsync()
        => await SqliteMetadataStore.OpenAsync(_directory.Combine("kindling.db"), CancellationToken.None);

    /// <inheritdoc />
    protected override ValueTask DeleteBackingDataAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _directory.Dispose();
}
