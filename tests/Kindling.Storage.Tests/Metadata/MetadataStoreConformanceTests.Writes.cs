using Kindling.Storage.Metadata;

namespace Kindling.Storage.Tests.Metadata;

/// <summary>Puts, deletes, versions and persistence.</summary>
public abstract partial class MetadataStoreConformanceTests
{
    [Fact]
    public async Task GetAsync_MissingItem_ReturnsNull()
    {
        Assert.Null(await GetAsync("functions", "f1", "$LATEST"));
    }

    [Fact]
    public async Task WriteAsync_PutNewItem_StoresItAtVersionOne()
    {
        await WriteAsync(new PutItem("functions", "f1", "$LATEST", """{"memory":128}"""));

        var item = await GetAsync("functions", "f1", "$LATEST");
        Assert.Equal(new StoredItem("functions", "f1", "$LATEST", """{"memory":128}""", 1), item);
        Assert.Equal(new ItemKey("f1", "$LATEST"), item!.Key);
    }

    [Fact]
    public async Task WriteAsync_PutExistingItem_ReplacesDocumentAndIncrementsVersion()
    {
        await WriteAsync(new PutItem("functions", "f1", "$LATEST", """{"memory":128}"""));
        await WriteAsync(new PutItem("functions", "f1", "$LATEST", """{"memory":256}"""));
        await WriteAsync(new PutItem("functions", "f1", "$LATEST", """{"memory":512}"""));

        Assert.Equal(new StoredItem("functions", "f1", "$LATEST", """{"memory":512}""", 3), await GetAsync("functions", "f1", "$LATEST"));
    }

    [Fact]
    public async Task WriteAsync_SameKeyInTwoTables_KeepsItemsSeparate()
    {
        await WriteAsync(new PutItem("functions", "f1", "", "\"function\""), new PutItem("aliases", "f1", "", "\"alias\""));
        await WriteAsync(new PutItem("aliases", "f1", "", "\"alias 2\""));

        Assert.Equal(new StoredItem("functions", "f1", "", "\"function\"", 1), await GetAsync("functions", "f1", ""));
        Assert.Equal(new StoredItem("aliases", "f1", "", "\"alias 2\"", 2), await GetAsync("aliases", "f1", ""));
    }

    [Fact]
    public async Task WriteAsync_DocumentWithUnicodeAndEmptyKeys_RoundTripsExactly()
    {
        const string Json = "{\"name\":\"caf\u00e9 \u65e5\u672c \ud83d\ude80\",\"quote\":\"'\\\"\"}";
        await WriteAsync(new PutItem("t", "", "", Json));

        Assert.Equal(new StoredItem("t", "", "", Json, 1), await GetAsync("t", "", ""));
    }

    [Fact]
    public async Task WriteAsync_DeleteExistingItem_RemovesIt()
    {
        await WriteAsync(new PutItem("functions", "f1", "1", "{}"), new PutItem("functions", "f1", "2", "{}"));

        await WriteAsync(new DeleteItem("functions", "f1", "1"));

        Assert.Null(await GetAsync("functions", "f1", "1"));
        Assert.Equal(new StoredItem("functions", "f1", "2", "{}", 1), await GetAsync("functions", "f1", "2"));
    }

    [Fact]
    public async Task WriteAsync_DeleteMissingItemUnconditionally_Succeeds()
    {
        await WriteAsync(new DeleteItem("functions", "missing", ""));

        Assert.Equal(0, await Store.CountAsync("functions", CancellationToken.None));
    }

    [Fact]
    public async Task WriteAsync_PutAfterDelete_StartsAgainAtVersionOne()
    {
        await WriteAsync(new PutItem("t", "p", "s", "1"));
        await WriteAsync(new PutItem("t", "p", "s", "2"));
        await WriteAsync(new DeleteItem("t", "p", "s", ExpectedVersion: 2));

        await WriteAsync(new PutItem("t", "p", "s", "3", ExpectedVersion: 0));

        Assert.Equal(new StoredItem("t", "p", "s", "3", 1), await GetAsync("t", "p", "s"));
    }

    [Fact]
    public async Task WriteAsync_EmptyBatch_ChangesNothing()
    {
        await WriteAsync();

        Assert.Equal(0, await Store.CountAsync("t", CancellationToken.None));
    }

    [Fact]
    public async Task WriteAsync_NegativeExpectedVersion_ThrowsArgumentOutOfRange()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => WriteAsync(new PutItem("t", "p", "s", "{}", ExpectedVersion: -1)));

        Assert.Null(await GetAsync("t", "p", "s"));
    }

    [Fact]
    public async Task WriteAsync_NullDocument_ThrowsArgument()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => WriteAsync(new PutItem("t", "p", "s", null!)));
    }

    [Fact]
    public async Task WriteAsync_AfterReopen_ItemsAndVersionsPersist()
    {
        await WriteAsync(new PutItem("functions", "f1", "$LATEST", "\"v1\""), new PutItem("functions", "f2", "$LATEST", "\"x\""));
        await WriteAsync(new PutItem("functions", "f1", "$LATEST", "\"v2\"", ExpectedVersion: 1));
        await WriteAsync(new DeleteItem("functions", "f2", "$LATEST"));

        await ReopenAsync();

        Assert.Equal(new StoredItem("functions", "f1", "$LATEST", "\"v2\"", 2), await GetAsync("functions", "f1", "$LATEST"));
        Assert.Null(await GetAsync("functions", "f2", "$LATEST"));
        Assert.Equal(1, await Store.CountAsync("functions", CancellationToken.None));
        await WriteAsync(new PutItem("functions", "f1", "$LATEST", "\"v3\"", ExpectedVersion: 2));
        Assert.Equal(3, (await GetAsync("functions", "f1", "$LATEST"))!.Version);
    }
}
