using System.Text.Json;
using Kindling.Storage.Metadata;

namespace Kindling.Functions.Persistence;

/// <summary>Typed access to the metadata store's JSON documents.</summary>
public sealed class Documents(IMetadataStore store)
{
    /// <summary>Reads one document.</summary>
    public async ValueTask<Versioned<T>?> GetAsync<T>(string table, string partition, string sort, CancellationToken cancellationToken)
    {
        var item = await store.GetAsync(table, partition, sort, cancellationToken);
        return item is null ? null : new Versioned<T>(Deserialize<T>(item.Json), item.Version);
    }

    /// <summary>Reads every document of a partition in sort-key order.</summary>
    public async ValueTask<IReadOnlyList<Versioned<T>>> QueryAsync<T>(string table, string partition, CancellationToken cancellationToken)
    {
        var items = await store.QueryAsync(table, partition, cancellationToken);
        return items.Select(i => new Versioned<T>(Deserialize<T>(i.Json), i.Version)).ToList();
    }

    /// <summary>Reads the sort keys of a partition.</summary>
    public async ValueTask<IReadOnlyList<string>> QueryKeysAsync(string table, string partition, CancellationToken cancellationToken)
    {
        var items = await store.QueryAsync(table, partition, cancellationToken);
        return items.Select(i => i.Sort).ToList();
    }

    /// <summary>Reads a page of documents across partitions, after a key.</summary>
    public async ValueTask<IReadOnlyList<(ItemKey Key, T Value)>> ScanAsync<T>(string table, ItemKey? after, int limit, CancellationToken cancellationToken)
    {
        var items = await store.ScanAsync(table, after, limit, cancellationToken);
        return items.Select(i => (i.Key, Deserialize<T>(i.Json))).ToList();
    }

    /// <summary>Reads a page of keys across partitions, after a key.</summary>
    public async ValueTask<IReadOnlyList<ItemKey>> ScanKeysAsync(string table, ItemKey? after, int limit, CancellationToken cancellationToken)
    {
        var items = await store.ScanAsync(table, after, limit, cancellationToken);
        return items.Select(i => i.Key).ToList();
    }

    /// <summary>Counts the documents of a table.</summary>
    public ValueTask<long> CountAsync(string table, CancellationToken cancellationToken) => store.CountAsync(table, cancellationToken);

    /// <summary>A put of a document, for an atomic batch.</summary>
    public static PutItem Put<T>(string table, string partition, string sort, T value, long? expectedVersion) =>
        new(table, partition, sort, JsonSerializer.Serialize(value, LambdaJson.Options), expectedVersion);

    /// <summary>Applies writes atomically.</summary>
    public ValueTask WriteAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken) => store.WriteAsync(writes, cancellationToken);

    /// <summary>Applies one write.</summary>
    public ValueTask WriteAsync(StoreWrite write, CancellationToken cancellationToken) => store.WriteAsync([write], cancellationToken);

    private static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, LambdaJson.Options) ?? throw new InvalidDataException("A stored document is null.");
}
