using Kindling.Storage.Metadata;

namespace Kindling.Storage.Tests.Metadata;

/// <summary>
/// The behaviour every <see cref="IMetadataStore"/> provider must have. A provider's test class inherits this and
/// supplies <see cref="OpenStoreAsync"/>; each test gets a fresh, empty backing store.
/// </summary>
public abstract partial class MetadataStoreConformanceTests : IAsyncLifetime
{
    private IMetadataStore? _store;

    /// <summary>The store under test.</summary>
    protected IMetadataStore Store => _store ?? throw new InvalidOperationException("The store is not open.");

    /// <summary>
    /// Opens a store over this test's backing data (empty the first time). Called again after the previous store
    /// was disposed, where it must see the same data: that is how persistence is tested.
    /// </summary>
    protected abstract ValueTask<IMetadataStore> OpenStoreAsync();

    /// <summary>Removes this test's backing data; the store is already closed.</summary>
    protected virtual ValueTask DeleteBackingDataAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async Task InitializeAsync() => _store = await OpenStoreAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await CloseStoreAsync();
        await DeleteBackingDataAsync();
    }

    /// <summary>Disposes the store and opens a new one over the same data.</summary>
    protected async Task ReopenAsync()
    {
        await CloseStoreAsync();
        _store = await OpenStoreAsync();
    }

    /// <summary>Applies one batch.</summary>
    protected Task WriteAsync(params StoreWrite[] writes) => Store.WriteAsync(writes, CancellationToken.None).AsTask();

    /// <summary>Reads one item.</summary>
    protected Task<StoredItem?> GetAsync(string table, string partition, string sort)
        => Store.GetAsync(table, partition, sort, CancellationToken.None).AsTask();

    /// <summary>Applies one batch that must fail, and returns the failure.</summary>
    protected Task<StoreConditionFailedException> WriteFailsAsync(params StoreWrite[] writes)
        => Assert.ThrowsAsync<StoreConditionFailedException>(() => WriteAsync(writes));

    private async Task CloseStoreAsync()
    {
        switch (_store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        _store = null;
    }
}
