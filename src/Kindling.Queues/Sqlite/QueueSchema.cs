using Microsoft.Data.Sqlite;

namespace Kindling.Queues.Sqlite;

/// <summary>The queue database: its own file, WAL, every commit fsynced.</summary>
internal static class QueueSchema
{
    private const string Create = """
        CREATE TABLE IF NOT EXISTS queues (
            name TEXT PRIMARY KEY,
            attributes TEXT NOT NULL,
            tags TEXT NOT NULL,
            created INTEGER NOT NULL,
            modified INTEGER NOT NULL,
            next_sequence INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            queue TEXT NOT NULL,
            id TEXT NOT NULL,
            body TEXT NOT NULL,
            attributes TEXT,
            trace_header TEXT,
            sender_id TEXT NOT NULL,
            sent INTEGER NOT NULL,
            visible_at INTEGER NOT NULL,
            receive_count INTEGER NOT NULL DEFAULT 0,
            first_receive INTEGER,
            receipt TEXT,
            group_id TEXT,
            dedup_id TEXT,
            sequence_number TEXT);
        CREATE INDEX IF NOT EXISTS messages_visible ON messages (queue, visible_at, seq);
        CREATE INDEX IF NOT EXISTS messages_sent ON messages (queue, sent);
        CREATE UNIQUE INDEX IF NOT EXISTS messages_id ON messages (queue, id);
        CREATE TABLE IF NOT EXISTS dedup (
            queue TEXT NOT NULL,
            scope TEXT NOT NULL,
            dedup_id TEXT NOT NULL,
            expires INTEGER NOT NULL,
            message_id TEXT NOT NULL,
            sequence_number TEXT NOT NULL,
            PRIMARY KEY (queue, scope, dedup_id));
        """;

    public static SqliteConnection Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            // synchronous=FULL fsyncs the WAL at every commit: a message whose send was answered survives power loss.
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;");
            Execute(connection, Create);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
