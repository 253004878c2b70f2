namespace Kindling.Storage.Sqlite;

/// <summary>The metadata schema, in order. Append new steps; never change a released one.</summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        // One table for every kind of item. WITHOUT ROWID stores rows in primary-key order, so queries by
        // partition and scans across partitions read one contiguous range. BINARY collation compares UTF-8
        // bytes, i.e. Unicode code point order, the same as PostgreSQL's "C" collation.
        new(1, "items", """
            CREATE TABLE items (
                tbl           TEXT    NOT NULL COLLATE BINARY,
                partition_key TEXT    NOT NULL COLLATE BINARY,
                sort_key      TEXT    NOT NULL COLLATE BINARY,
                json          TEXT    NOT NULL,
                version       INTEGER NOT NULL,
                PRIMARY KEY (tbl, partition_key, sort_key)
            ) WITHOUT ROWID;
            """),
    ];
}
