namespace Kindling.Storage.Metadata;

/// <summary>
/// The metadata store: JSON documents addressed by table, partition key and sort key, with a version per
/// item for optimistic concurrency and atomic multi-item writes. Providers: SQLite (default), PostgreSQL
/// (later). Every provider passes the same conformance suite.
/// </summary>
public interface IMetadataStore
{
    /// <summary>Reads one item, or null when it does not exist.</summary>
    ValueTask<StoredItem?> GetAsync(string table, string partition, string sort, CancellationToken cancellationToken);

    /// <summary>Reads every item of one partition, ordered by sort key (ordinal).</summary>
    ValueTask<IReadOnlyList<StoredItem>> QueryAsync(string table, string partition, CancellationToken cancellationToken);

    /// <summary>
    /// Reads items across partitions in (partition, sort) ordinal order, starting strictly after
    /// <paramref name="after"/> when given, at most <paramref name="limit"/> items.
    /// </summary>
    ValueTask<IReadOnlyList<StoredItem>> ScanAsync(string table, ItemKey? after, int limit, CancellationToken cancellationToken);

    /// <summary>Counts the items of a table.</summary>
    ValueTask<long> CountAsync(string table, CancellationToken cancellationToken);

    /// <summary>
    /// Applies every write atomically and durably, or none of them: when a condition fails, throws
    /// <see cref="StoreConditionFailedException"/> and nothing changes.
    /// </summary>
    ValueTask WriteAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken);
}
