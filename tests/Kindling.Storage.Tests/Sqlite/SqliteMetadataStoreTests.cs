using Kindling.Storage.Metadata;
using Kindling.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Kindling.Storage.Tests.Sqlite;

/// <summary>SQLite specifics: file creation, pragmas, schema migrations, disposal.</summary>
public sealed class SqliteMetadataStoreTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task OpenAsync_MissingDirectories_CreatesDatabaseFile()
    {
        var path = _directory.Combine("a", "b", "kindling.db");

        await using (var store = await SqliteMetadataStore.OpenAsync(path, CancellationToken.None))
        {
            await store.WriteAsync([new PutItem("t", "p", "s", "{}")], CancellationToken.None);
        }

        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task OpenAsync_AnyUmask_DatabaseAndWalAreOwnerOnly()
    {
        var path = _directory.Combine("kindling.db");
        await File.WriteAllBytesAsync(path, []);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using (var store = await SqliteMetadataStore.OpenAsync(path, CancellationToken.None))
        {
            await store.WriteAsync([new PutItem("t", "p", "s", "{}")], CancellationToken.None);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path + "-wal"));
        }
    }

    [Fact]
    public async Task OpenAsync_NewDatabase_UsesWalAndLatestSchemaVersion()
    {
        var path = _directory.Combine("kindling.db");

        await using var store = await SqliteMetadataStore.OpenAsync(path, CancellationToken.None);

        using var connection = OpenRaw(path);
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal((long)SqliteMigrations.All.Count, Scalar(connection, "PRAGMA user_version;"));
        Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'items';"));
    }

    [Fact]
    public async Task OpenAsync_SchemaNewerThanKnown_ThrowsAndLeavesDatabaseAlone()
    {
        var path = _directory.Combine("kindling.db");
        using (var connection = OpenRaw(path))
        {
            Execute(connection, "PRAGMA user_version = 99;");
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteMetadataStore.OpenAsync(path, CancellationToken.None).AsTask());

        Assert.Equal(
            $"The metadata database '{path}' has schema version 99, newer than the latest this Kindling knows " +
            $"({SqliteMigrations.All.Count}). It was written by a newer Kindling; upgrade rather than downgrade.",
            error.Message);
        using var check = OpenRaw(path);
        Assert.Equal(99L, Scalar(check, "PRAGMA user_version;"));
        Assert.Equal(0L, Scalar(check, "SELECT COUNT(*) FROM sqlite_schema;"));
    }

    [Fact]
    public async Task Open_NewMigrationAppended_AppliesOnlyTheNewStepAndKeepsData()
    {
        var path = _directory.Combine("kindling.db");
        await using (var store = SqliteMetadataStore.Open(path, SqliteMigrations.All))
        {
            await store.WriteAsync([new PutItem("t", "p", "s", "{}")], CancellationToken.None);
        }

        SqliteMigration[] next = [.. SqliteMigrations.All, new(SqliteMigrations.All.Count + 1, "extra", "CREATE TABLE extra (x INTEGER)")];
        await using (var store = SqliteMetadataStore.Open(path, next))
        {
            Assert.Equal(1, (await store.GetAsync("t", "p", "s", CancellationToken.None))!.Version);
        }

        using var connection = OpenRaw(path);
        Assert.Equal((long)next.Length, Scalar(connection, "PRAGMA user_version;"));
        Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'extra';"));
    }

    [Fact]
    public async Task Open_FailingMigration_RollsBackThatStepOnly()
    {
        var path = _directory.Combine("kindling.db");
        SqliteMigration[] broken =
        [
            .. SqliteMigrations.All,
            new(SqliteMigrations.All.Count + 1, "broken", "CREATE TABLE half (x INTEGER); INSERT INTO missing VALUES (1)"),
        ];

        var error = Assert.Throws<SqliteException>(() => SqliteMetadataStore.Open(path, broken));

        Assert.Equal("SQLite Error 1: 'no such table: missing'.", error.Message);
        using var connection = OpenRaw(path);
        Assert.Equal((long)SqliteMigrations.All.Count, Scalar(connection, "PRAGMA user_version;"));
        Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'half';"));
        await using var store = await SqliteMetadataStore.OpenAsync(path, CancellationToken.None);
        Assert.Equal(0, await store.CountAsync("t", CancellationToken.None));
    }

    [Fact]
    public void Open_MigrationsOutOfOrder_Throws()
    {
        SqliteMigration[] migrations = [new(2, "two", "SELECT 1")];

        var error = Assert.Throws<InvalidOperationException>(() => SqliteMetadataStore.Open(_directory.Combine("kindling.db"), migrations));

        Assert.Equal("Migration 'two' has version 2; versions must run 1, 2, 3… in order.", error.Message);
    }

    [Fact]
    public async Task WriteAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var store = await SqliteMetadataStore.OpenAsync(_directory.Combine("kindling.db"), CancellationToken.None);
        await store.DisposeAsync();
        store.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.WriteAsync([new PutItem("t", "p", "s", "{}")], CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetAsync("t", "p", "s", CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Dispose_AfterWrites_CheckpointsAndRemovesTheWal()
    {
        var path = _directory.Combine("kindling.db");
        var store = await SqliteMetadataStore.OpenAsync(path, CancellationToken.None);
        await store.WriteAsync([new PutItem("t", "p", "s", "{}")], CancellationToken.None);
        await store.GetAsync("t", "p", "s", CancellationToken.None);

        await store.DisposeAsync();

        Assert.False(File.Exists(path + "-wal"));
        using var connection = OpenRaw(path);
        Assert.Equal("ok", Scalar(connection, "PRAGMA integrity_check;"));
    }

    [Fact]
    public async Task WriteAsync_CancelledToken_ThrowsAndWritesNothing()
    {
        await using var store = await SqliteMetadataStore.OpenAsync(_directory.Combine("kindling.db"), CancellationToken.None);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => store.WriteAsync([new PutItem("t", "p", "s", "{}")], cancelled.Token).AsTask());

        Assert.Null(await store.GetAsync("t", "p", "s", CancellationToken.None));
    }

    private static SqliteConnection OpenRaw(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
