using Kindling.Storage.Metadata;
using Microsoft.Data.Sqlite;

namespace Kindling.Storage.Sqlite;

/// <summary>
/// The store's only write connection, used by one batch at a time (the store serializes callers). Each batch is
/// one <c>BEGIN IMMEDIATE</c> transaction: the write lock is taken up front, so the version read for a condition
/// cannot change before the batch commits, even if another process writes to the same file.
/// </summary>
internal sealed class SqliteWriteConnection : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly ItemCommand _version;
    private readonly ItemCommand _insert;
    private readonly ItemCommand _update;
    private readonly ItemCommand _delete;

    public SqliteWriteConnection(SqliteConnection connection)
    {
        _connection = connection;
        const string Key = "tbl = $tbl AND partition_key = $partition AND sort_key = $sort";
        _version = new(connection, $"SELECT version FROM items WHERE {Key};",
            ("$tbl", SqliteType.Text), ("$partition", SqliteType.Text), ("$sort", SqliteType.Text));
        _insert = new(connection,
            "INSERT INTO items (tbl, partition_key, sort_key, json, version) VALUES ($tbl, $partition, $sort, $json, 1);",
            ("$tbl", SqliteType.Text), ("$partition", SqliteType.Text), ("$sort", SqliteType.Text), ("$json", SqliteType.Text));
        _update = new(connection, $"UPDATE items SET json = $json, version = $version WHERE {Key};",
            ("$tbl", SqliteType.Text), ("$partition", SqliteType.Text), ("$sort", SqliteType.Text),
            ("$json", SqliteType.Text), ("$version", SqliteType.Integer));
        _delete = new(connection, $"DELETE FROM items WHERE {Key};",
            ("$tbl", SqliteType.Text), ("$partition", SqliteType.Text), ("$sort", SqliteType.Text));
    }

    /// <summary>
    /// Applies the writes in order (a condition sees the batch's earlier writes) and commits; on a failed
    /// condition rolls everything back and throws <see cref="StoreConditionFailedException"/>.
    /// </summary>
    public void Apply(IReadOnlyList<StoreWrite> writes)
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        foreach (var write in writes)
        {
            var current = (long?)_version.Bind(transaction, write.Table, write.Partition, write.Sort).ExecuteScalar();
            if (write.ExpectedVersion is { } expected && expected != (current ?? 0))
            {
                // Disposing the uncommitted transaction rolls back the batch's earlier writes.
                throw new StoreConditionFailedException(write);
            }

            switch (write)
            {
                case PutItem put when current is null:
                    _insert.Bind(transaction, put.Table, put.Partition, put.Sort, put.Json).ExecuteNonQuery();
                    break;
                case PutItem put:
                    _update.Bind(transaction, put.Table, put.Partition, put.Sort, put.Json, current.Value + 1).ExecuteNonQuery();
                    break;
                case DeleteItem when current is not null:
                    _delete.Bind(transaction, write.Table, write.Partition, write.Sort).ExecuteNonQuery();
                    break;
                case DeleteItem or CheckItem:
                    break;
                default:
                    throw new ArgumentException($"Unsupported write type {write.GetType().Name}.", nameof(writes));
            }
        }

        transaction.Commit();
    }

    public void Dispose()
    {
        _version.Dispose();
        _insert.Dispose();
        _update.Dispose();
        _delete.Dispose();
        _connection.Dispose();
    }
}
