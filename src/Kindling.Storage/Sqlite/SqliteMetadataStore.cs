using Kindling.Storage.Durability;
using Kindling.Storage.Metadata;
using Microsoft.Data.Sqlite;

namespace Kindling.Storage.Sqlite;

/// <summary>
/// The default metadata store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so a write returns only
/// once it is on disk. Writes are serialized in process over a single connection (SQLite allows one writer at a
/// time anyway; queuing on a semaphore is cheaper than spinning on SQLITE_BUSY); reads run in parallel on pooled
/// connections and never wait for writes. Safe for concurrent use.
/// </summary>
public sealed class SqliteMetadataStore : IMetadataStore, IAsyncDisposable, IDisposable
{
    private readonly SqliteWriteConnection _writer;
    private readonly SqliteReaderPool _readers;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile bool _disposed;

    private SqliteMetadataStore(SqliteWriteConnection writer, SqliteReaderPool readers)
    {
        _writer = writer;
        _readers = readers;
    }

    /// <summary>
    /// Opens the database at <paramref name="databasePath"/>, creating it and its directory when missing, and
    /// migrates it to the latest schema. Completes synchronously (Microsoft.Data.Sqlite has no asynchronous I/O).
    /// </summary>
    /// <exception cref="InvalidOperationException">The database's schema is newer than this version knows.</exception>
    public static ValueTask<SqliteMetadataStore> OpenAsync(string databasePath, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Open(databasePath, SqliteMigrations.All));
    }

    /// <summary>
    /// The database holds every secret the control plane keeps (policies, environment variables): owner-only,
    /// whatever the umask. SQLite gives its -wal and -shm files the database file's mode.
    /// </summary>
    private static void MakePrivate(string path)
    {
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!File.Exists(path))
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = OwnerOnly,
            });
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(file))
            {
                File.SetUnixFileMode(file, OwnerOnly);
            }
        }
    }

    internal static SqliteMetadataStore Open(string databasePath, IReadOnlyList<SqliteMigration> migrations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var path = Path.GetFullPath(databasePath);
        var directory = Path.GetDirectoryName(path)!;
        DurableFile.CreateDirectories([directory]);
        var created = !File.Exists(path);
        MakePrivate(path);

        var connection = SqliteConnections.Open(path, SqliteOpenMode.ReadWriteCreate);
        try
        {
            var journalMode = SqliteConnections.QueryText(connection, "PRAGMA journal_mode = WAL;");
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"The metadata database '{path}' cannot use WAL journaling (got '{journalMode}'); " +
                    "it needs a local file system that supports shared memory (not NFS).");
            }

            // Bounds the WAL file left behind after a checkpoint; without it a burst of writes keeps its size.
            SqliteConnections.Execute(connection, "PRAGMA journal_size_limit = 67108864;");
            SqliteMigrator.Apply(connection, migrations);
            // SQLite flushes the directory for its WAL file but not for a newly created database file.
            if (created)
            {
                DurableFile.FlushDirectory(directory);
            }
            return new SqliteMetadataStore(new SqliteWriteConnection(connection), new SqliteReaderPool(path));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask<StoredItem?> GetAsync(string table, string partition, string sort, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(sort);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(reader => reader.Get(table, partition, sort)));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredItem>> QueryAsync(string table, string partition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(partition);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<StoredItem>>(Read(reader => reader.Query(table, partition)));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredItem>> ScanAsync(string table, ItemKey? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (after is { } key)
        {
            ArgumentNullException.ThrowIfNull(key.Partition, nameof(after));
            ArgumentNullException.ThrowIfNull(key.Sort, nameof(after));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<StoredItem>>(Read(reader => reader.Scan(table, after, limit)));
    }

    /// <inheritdoc />
    public ValueTask<long> CountAsync(string table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(reader => reader.Count(table)));
    }

    /// <inheritdoc />
    /// <remarks>
    /// Writes apply in order, so a condition sees the effect of the batch's earlier writes on the same item.
    /// Cancellation is honoured only while waiting for the write lock; a batch that has started commits.
    /// </remarks>
    public async ValueTask WriteAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken)
    {
        StoreWriteValidation.Validate(writes);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (writes.Count == 0)
        {
            return;
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writer.Apply(writes);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Closes the database once in-flight writes finish; the last connection to close checkpoints the WAL.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _writeLock.Wait();
        CloseLocked();
    }

    /// <inheritdoc cref="Dispose" />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await _writeLock.WaitAsync();
        CloseLocked();
    }

    private void CloseLocked()
    {
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _readers.Dispose();
            _writer.Dispose();
        }
        finally
        {
            // Released, not disposed: writers still queued must wake up to observe _disposed.
            _writeLock.Release();
        }
    }

    private T Read<T>(Func<SqliteReadConnection, T> query)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var reader = _readers.Rent();
        var healthy = false;
        try
        {
            var result = query(reader);
            healthy = true;
            return result;
        }
        finally
        {
            _readers.Return(reader, healthy);
        }
    }
}
