using System.Text.Json;
using Kindling.Storage.Metadata;

namespace Kindling.Functions.Persistence;

/// <summary>Typed access to the metadata store's JSON documents.</summary>
/// <remarks>
/// Point reads on the invoke path (<see cref="GetCachedAsync{T}"/>) are served from memory while nothing has been
/// written since they were read: every write through this class moves a generation counter once it has committed,
/// and an entry read under an older generation is read again. This process is the store's only writer (one
/// server on one SQLite file); frontends sharing a store across machines will need the store's own change
/// notifications instead.
/// </remarks>
public sealed class Documents(IMetadataStore store)
{
    private const int MaxCached = 10_000;
    private const int ScanPageSize = 500;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Table, string Partition, string Sort), CachedDocument> _cache = new();
    private long _generation;

    /// <summary>
    /// Reads one document, from memory when no write has committed since it was last read. The value returned is
    /// shared: callers must not change it.
    /// </summary>
    public async ValueTask<Versioned<T>?> GetCachedAsync<T>(string table, string partition, string sort, CancellationToken cancellationToken)
    {
        var generation = Volatile.Read(ref _generation);
        var key = (table, partition, sort);
        if (_cache.TryGetValue(key, out var cached) && cached.Generation == generation && cached.Value is Versioned<T> or null)
        {
            return (Versioned<T>?)cached.Value;
        }

        var value = await GetAsync<T>(table, partition, sort, cancellationToken);
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        _cache[key] = new CachedDocument(generation, value);
        return value;
    }

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

    /// <summary>Reads every document of a table, a page at a time, in key order.</summary>
    public async IAsyncEnumerable<(ItemKey Key, T Value)> ScanAllAsync<T>(
        string table, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ItemKey? after = null;
        while (true)
        {
            var batch = await ScanAsync<T>(table, after, ScanPageSize, cancellationToken);
            if (batch.Count == 0)
            {
                yield break;
            }

            foreach (var item in batch)
            {
                yield return item;
            }

            after = batch[^1].Key;
        }
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
    public async ValueTask WriteAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken)
    {
        try
        {
            await store.WriteAsync(writes, cancellationToken);
        }
        finally
        {
            // Also after a failure: whether it committed is not always known.
            Interlocked.Increment(ref _generation);
        }
    }

    /// <summary>Applies one write.</summary>
    public ValueTask WriteAsync(StoreWrite write, CancellationToken cancellationToken) => WriteAsync([write], cancellationToken);

    private sealed record CachedDocument(long Generation, object? Value);

    private static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, LambdaJson.Options) ?? throw new InvalidDataException("A stored document is null.");
}
