using System.Collections.Concurrent;

namespace Kindling.Storage.Sqlite;

/// <summary>
/// Idle read connections. Concurrent reads each take one (opening another when none is idle); at most
/// <see cref="MaxIdle"/> are kept, so a burst does not pin file handles forever.
/// </summary>
internal sealed class SqliteReaderPool : IDisposable
{
    private const int MaxIdle = 16;

    private readonly ConcurrentQueue<SqliteReadConnection> _idle = new();
    private readonly string _path;
    private volatile bool _disposed;

    public SqliteReaderPool(string path)
    {
        _path = path;
    }

    public SqliteReadConnection Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _idle.TryDequeue(out var connection) ? connection : new SqliteReadConnection(_path);
    }

    /// <summary>Gives a connection back; one that failed is closed instead, as its state is unknown.</summary>
    public void Return(SqliteReadConnection connection, bool healthy)
    {
        if (!healthy || _disposed || _idle.Count >= MaxIdle)
        {
            connection.Dispose();
            return;
        }

        _idle.Enqueue(connection);
        // Dispose may have drained the queue between the check above and the enqueue.
        if (_disposed)
        {
            Drain();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Drain();
    }

    private void Drain()
    {
        while (_idle.TryDequeue(out var connection))
        {
            connection.Dispose();
        }
    }
}
