using Microsoft.Data.Sqlite;

namespace Kindling.Storage.Sqlite;

/// <summary>Opens connections with the settings every connection of the store needs.</summary>
internal static class SqliteConnections
{
    /// <summary>How long a connection waits for another process's lock before failing with SQLITE_BUSY.</summary>
    private const int BusyTimeoutMilliseconds = 10_000;

    public static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Cache = SqliteCacheMode.Private,
            // The store keeps its own connections (one writer, a pool of readers with prepared statements);
            // the provider's pool would only keep files open after the store is disposed.
            Pooling = false,
        }.ToString();

        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            // synchronous=FULL makes every commit fsync the WAL: an acknowledged write survives power loss,
            // not only a process crash. It is set on readers too because any connection may run a checkpoint.
            Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = FULL;");
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

    public static string? QueryText(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }
}
