using Microsoft.Data.Sqlite;

namespace Kindling.Storage.Sqlite;

/// <summary>
/// A statement kept for the life of its connection, so SQLite parses and plans it once; parameters are bound by
/// position in the order they were declared.
/// </summary>
internal sealed class ItemCommand : IDisposable
{
    private readonly SqliteCommand _command;

    public ItemCommand(SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, SqliteType Type)> parameters)
    {
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            _command.Parameters.Add(name, type);
        }
    }

    public SqliteCommand Bind(SqliteTransaction? transaction, params ReadOnlySpan<object> values)
    {
        _command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++)
        {
            _command.Parameters[i].Value = values[i];
        }

        return _command;
    }

    public void Dispose() => _command.Dispose();
}
