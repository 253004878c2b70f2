using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Kindling.Storage.Sqlite;

/// <summary>
/// Brings a database to the latest schema. The version lives in <c>PRAGMA user_version</c>, which is part of the
/// database header and therefore committed atomically with the step's DDL: each step runs in its own
/// <c>BEGIN IMMEDIATE</c> transaction, so a crash leaves the schema at a step boundary and concurrent openers
/// (another process) serialize instead of applying a step twice.
/// </summary>
internal static class SqliteMigrator
{
    public static void Apply(SqliteConnection connection, IReadOnlyList<SqliteMigration> migrations)
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"Migration '{migrations[i].Name}' has version {migrations[i].Version}; versions must run 1, 2, 3… in order.");
            }
        }

        var latest = migrations.Count;
        var current = ReadVersion(connection, transaction: null);
        if (current > latest)
        {
            throw new InvalidOperationException(
                $"The metadata database '{connection.DataSource}' has schema version {current}, newer than the latest " +
                $"this Kindling knows ({latest}). It was written by a newer Kindling; upgrade rather than downgrade.");
        }

        foreach (var migration in migrations)
        {
            if (migration.Version <= current)
            {
                continue;
            }

            using var transaction = connection.BeginTransaction(deferred: false);
            // Re-read under the write lock: another process may have applied this step meanwhile.
            current = ReadVersion(connection, transaction);
            if (migration.Version <= current)
            {
                continue;
            }

            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = migration.Sql + ";\nPRAGMA user_version = " +
                    migration.Version.ToString(CultureInfo.InvariantCulture) + ";";
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            current = migration.Version;
        }
    }

    public static long ReadVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return (long)command.ExecuteScalar()!;
    }
}
