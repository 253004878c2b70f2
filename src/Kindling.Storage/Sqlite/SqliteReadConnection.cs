using Kindling.Storage.Metadata;
using Microsoft.Data.Sqlite;

namespace Kindling.Storage.Sqlite;

/// <summary>
/// A read-only connection with its prepared queries. Each query is one statement, so it reads one consistent
/// WAL snapshot and never blocks the writer.
/// </summary>
internal sealed class SqliteReadConnection : IDisposable
{
    private const string Columns = "partition_key, sort_key, json, version";

    private readonly SqliteConnection _connection;
    private readonly ItemCommand _get;
    private readonly ItemCommand _query;
    private readonly ItemCommand _scanFirst;
    private readonly ItemCommand _scanAfter;
    private readonly ItemCommand _count;

    public SqliteReadConnection(string path)
    {
        _connection = SqliteConnections.Open(path, SqliteOpenMode.ReadWrite);
        SqliteConnections.Execute(_connection, "PRAGMA query_only = ON;");
        _get = new(_connection,
            $"SELECT {Columns} FROM items WHERE tbl = $tbl AND partition_key = $partition AND sort_key = $sort;",
            ("$tbl", SqliteType.Text), ("$partition", SqliteType.Text), ("$sort", SqliteType.Text));
        _query = new(_connection,
            $"SELECT {Columns} FROM items WHERE tbl = $tbl AND partition_key = $partition ORDER BY sort_key;",
            ("$tbl", SqliteType.Text), ("$partition", SqliteType.Text));
        _scanFirst = new(_connection,
            $"SELECT {Columns} FROM items WHERE tbl = $tbl ORDER BY partition_key, sort_key LIMIT $limit;",
            ("$tbl", SqliteType.Text), ("$limit", SqliteType.Integer));
        // A row-value comparison is a single range on the primary key (no OR of two ranges); PostgreSQL has the same.
        _scanAfter = new(_connection,
            $"SELECT {Columns} FROM items WHERE tbl = $tbl AND (partition_key, sort_key) > ($partition, $sort) " +
            "ORDER BY partition_key, sort_key LIMIT $limit;",
            ("$tbl", SqliteType.Text), ("$partition", SqliteType.Text), ("$sort", SqliteType.Text), ("$limit", SqliteType.Integer));
        _count = new(_connection, "SELECT COUNT(*) FROM items WHERE tbl = $tbl;", ("$tbl", SqliteType.Text));
    }

    public StoredItem? Get(string table, string partition, string sort)
    {
        using var reader = _get.Bind(null, table, partition, sort).ExecuteReader();
        return reader.Read() ? ReadItem(reader, table) : null;
    }

    public List<StoredItem> Query(string table, string partition)
        => ReadAll(_query.Bind(null, table, partition), table);

    public List<StoredItem> Scan(string table, ItemKey? after, int limit)
        => after is { } key
            ? ReadAll(_scanAfter.Bind(null, table, key.Partition, key.Sort, limit), table)
            : ReadAll(_scanFirst.Bind(null, table, limit), table);

    public long Count(string table) => (long)_count.Bind(null, table).ExecuteScalar()!;

    public void Dispose()
    {
        _get.Dispose();
        _query.Dispose();
        _scanFirst.Dispose();
        _scanAfter.Dispose();
        _count.Dispose();
        _connection.Dispose();
    }

    private static List<StoredItem> ReadAll(SqliteCommand command, string table)
    {
        var items = new List<StoredItem>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            items.Add(ReadItem(reader, table));
        }

        return items;
    }

    private static StoredItem ReadItem(SqliteDataReader reader, string table)
        => new(table, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3));
}
