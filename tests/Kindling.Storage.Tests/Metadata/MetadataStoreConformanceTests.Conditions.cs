using Kindling.Storage.Metadata;

namespace Kindling.Storage.Tests.Metadata;

/// <summary>Conditional writes and batch atomicity.</summary>
public abstract partial class MetadataStoreConformanceTests
{
    [Fact]
    public async Task WriteAsync_ExpectedZeroAndItemMissing_CreatesItem()
    {
        await WriteAsync(new PutItem("t", "p", "s", "{}", ExpectedVersion: 0));

        Assert.Equal(1, (await GetAsync("t", "p", "s"))!.Version);
    }

    [Fact]
    public async Task WriteAsync_ExpectedZeroAndItemExists_ThrowsAndKeepsItem()
    {
        await WriteAsync(new PutItem("t", "p", "s", "\"first\""));
        var write = new PutItem("t", "p", "s", "\"second\"", ExpectedVersion: 0);

        var failure = await WriteFailsAsync(write);

        Assert.Same(write, failure.Write);
        Assert.Equal(new StoredItem("t", "p", "s", "\"first\"", 1), await GetAsync("t", "p", "s"));
    }

    [Fact]
    public async Task WriteAsync_ExpectedVersionMatches_ReplacesItem()
    {
        await WriteAsync(new PutItem("t", "p", "s", "1"));
        await WriteAsync(new PutItem("t", "p", "s", "2"));

        await WriteAsync(new PutItem("t", "p", "s", "3", ExpectedVersion: 2));

        Assert.Equal(new StoredItem("t", "p", "s", "3", 3), await GetAsync("t", "p", "s"));
    }

    [Fact]
    public async Task WriteAsync_ExpectedVersionStale_ThrowsAndKeepsItem()
    {
        await WriteAsync(new PutItem("t", "p", "s", "1"));
        await WriteAsync(new PutItem("t", "p", "s", "2"));
        var write = new PutItem("t", "p", "s", "3", ExpectedVersion: 1);

        var failure = await WriteFailsAsync(write);

        Assert.Same(write, failure.Write);
        Assert.Equal(new StoredItem("t", "p", "s", "2", 2), await GetAsync("t", "p", "s"));
    }

    [Fact]
    public async Task WriteAsync_ExpectedVersionAndItemMissing_ThrowsAndCreatesNothing()
    {
        var write = new PutItem("t", "p", "s", "{}", ExpectedVersion: 1);

        var failure = await WriteFailsAsync(write);

        Assert.Same(write, failure.Write);
        Assert.Null(await GetAsync("t", "p", "s"));
    }

    [Fact]
    public async Task WriteAsync_DeleteWithStaleVersion_ThrowsAndKeepsItem()
    {
        await WriteAsync(new PutItem("t", "p", "s", "1"));
        await WriteAsync(new PutItem("t", "p", "s", "2"));
        var write = new DeleteItem("t", "p", "s", ExpectedVersion: 1);

        var failure = await WriteFailsAsync(write);

        Assert.Same(write, failure.Write);
        Assert.Equal(2, (await GetAsync("t", "p", "s"))!.Version);
    }

    [Fact]
    public async Task WriteAsync_DeleteMissingItemWithVersion_Throws()
    {
        var write = new DeleteItem("t", "p", "s", ExpectedVersion: 1);

        var failure = await WriteFailsAsync(write);

        Assert.Same(write, failure.Write);
    }

    [Fact]
    public async Task WriteAsync_DeleteWithMatchingVersion_RemovesItem()
    {
        await WriteAsync(new PutItem("t", "p", "s", "1"));

        await WriteAsync(new DeleteItem("t", "p", "s", ExpectedVersion: 1));

        Assert.Null(await GetAsync("t", "p", "s"));
    }

    [Fact]
    public async Task WriteAsync_CheckHolds_AppliesTheOtherWrites()
    {
        await WriteAsync(new PutItem("functions", "f1", "", "{}"));

        await WriteAsync(new CheckItem("functions", "f1", "", 1), new PutItem("versions", "f1", "1", "\"published\"", ExpectedVersion: 0));

        Assert.Equal(new StoredItem("versions", "f1", "1", "\"published\"", 1), await GetAsync("versions", "f1", "1"));
        Assert.Equal(new StoredItem("functions", "f1", "", "{}", 1), await GetAsync("functions", "f1", ""));
    }

    [Fact]
    public async Task WriteAsync_CheckForAbsenceHolds_AppliesTheOtherWrites()
    {
        await WriteAsync(new CheckItem("functions", "gone", "", 0), new PutItem("t", "p", "s", "{}"));

        Assert.Null(await GetAsync("functions", "gone", ""));
        Assert.Equal(1, (await GetAsync("t", "p", "s"))!.Version);
    }

    [Fact]
    public async Task WriteAsync_CheckFails_ChangesNothing()
    {
        await WriteAsync(new PutItem("functions", "f1", "", "{}"));
        await WriteAsync(new PutItem("functions", "f1", "", "{}"));
        var check = new CheckItem("functions", "f1", "", 1);

        var failure = await WriteFailsAsync(new PutItem("versions", "f1", "1", "{}"), check);

        Assert.Same(check, failure.Write);
        Assert.Null(await GetAsync("versions", "f1", "1"));
        Assert.Equal(2, (await GetAsync("functions", "f1", ""))!.Version);
    }

    [Fact]
    public async Task WriteAsync_LastConditionOfBatchFails_RollsBackEveryEarlierWrite()
    {
        await WriteAsync(new PutItem("t", "existing", "", "\"old\""), new PutItem("t", "doomed", "", "\"kept\""));
        var failing = new PutItem("t", "other", "", "{}", ExpectedVersion: 7);

        var failure = await WriteFailsAsync(
            new PutItem("t", "new", "", "{}"),
            new PutItem("t", "existing", "", "\"new\"", ExpectedVersion: 1),
            new DeleteItem("t", "doomed", ""),
            failing);

        Assert.Same(failing, failure.Write);
        Assert.Null(await GetAsync("t", "new", ""));
        Assert.Equal(new StoredItem("t", "existing", "", "\"old\"", 1), await GetAsync("t", "existing", ""));
        Assert.Equal(new StoredItem("t", "doomed", "", "\"kept\"", 1), await GetAsync("t", "doomed", ""));
        Assert.Equal(2, await Store.CountAsync("t", CancellationToken.None));
    }

    [Fact]
    public async Task WriteAsync_SameItemTwiceInBatch_SecondWriteSeesTheFirst()
    {
        await WriteAsync(new PutItem("t", "p", "s", "1", ExpectedVersion: 0), new PutItem("t", "p", "s", "2", ExpectedVersion: 1));

        Assert.Equal(new StoredItem("t", "p", "s", "2", 2), await GetAsync("t", "p", "s"));
    }
}
