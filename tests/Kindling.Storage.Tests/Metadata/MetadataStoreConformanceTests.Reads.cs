using Kindling.Storage.Metadata;

namespace Kindling.Storage.Tests.Metadata;

/// <summary>Query, scan and count: contents, ordering and pagination.</summary>
public abstract partial class MetadataStoreConformanceTests
{
    [Fact]
    public async Task QueryAsync_SortKeysWrittenOutOfOrder_ReturnsThemInOrdinalOrder()
    {
        // Ordinal (code point) order, not culture order: digits < upper case < '_' < lower case < non-ASCII.
        string[] written = ["b", "\u00e9", "B", "a0", "_", "a", "Z", "a-", "9", "", "10"];
        foreach (var sort in written)
        {
            await WriteAsync(new PutItem("t", "p", sort, $"\"{sort}\""));
        }

        var items = await Store.QueryAsync("t", "p", CancellationToken.None);

        Assert.Equal(["", "10", "9", "B", "Z", "_", "a", "a-", "a0", "b", "\u00e9"], items.Select(item => item.Sort));
        Assert.All(items, item => Assert.Equal(("t", "p", $"\"{item.Sort}\"", 1L), (item.Table, item.Partition, item.Json, item.Version)));
    }

    [Fact]
    public async Task QueryAsync_OtherPartitionsAndTables_AreExcluded()
    {
        await WriteAsync(
            new PutItem("t", "p", "1", "{}"),
            new PutItem("t", "p", "2", "{}"),
            new PutItem("t", "p2", "1", "{}"),
            new PutItem("t", "", "1", "{}"),
            new PutItem("u", "p", "3", "{}"));

        var items = await Store.QueryAsync("t", "p", CancellationToken.None);

        Assert.Equal([new ItemKey("p", "1"), new ItemKey("p", "2")], items.Select(item => item.Key));
    }

    [Fact]
    public async Task QueryAsync_EmptyPartition_ReturnsEmptyList()
    {
        await WriteAsync(new PutItem("t", "p", "1", "{}"));

        Assert.Empty(await Store.QueryAsync("t", "q", CancellationToken.None));
    }

    [Fact]
    public async Task QueryAsync_ReturnsCurrentVersionsAndDocuments()
    {
        await WriteAsync(new PutItem("t", "p", "a", "1"), new PutItem("t", "p", "b", "1"));
        await WriteAsync(new PutItem("t", "p", "b", "2"));

        var items = await Store.QueryAsync("t", "p", CancellationToken.None);

        Assert.Equal([new StoredItem("t", "p", "a", "1", 1), new StoredItem("t", "p", "b", "2", 2)], items);
    }

    [Fact]
    public async Task ScanAsync_PagesWithAfter_ReturnsEveryItemOnceInPartitionThenSortOrder()
    {
        // "p10" sorts between "p1" and "p2" ordinally; the other table interleaves and must never appear.
        foreach (var (partition, sort) in new[] { ("p2", "a"), ("p1", "b"), ("p10", "a"), ("p1", "a"), ("p2", "b"), ("p1", "c"), ("p3", "a") })
        {
            await WriteAsync(new PutItem("t", partition, sort, $"\"{partition}/{sort}\""), new PutItem("other", partition, sort + "x", "{}"));
        }

        var pages = new List<IReadOnlyList<StoredItem>>();
        ItemKey? after = null;
        while (true)
        {
            var page = await Store.ScanAsync("t", after, 3, CancellationToken.None);
            pages.Add(page);
            if (page.Count < 3)
            {
                break;
            }

            after = page[^1].Key;
        }

        Assert.Equal([3, 3, 1], pages.Select(page => page.Count));
        Assert.Equal(
            ["p1/a", "p1/b", "p1/c", "p10/a", "p2/a", "p2/b", "p3/a"],
            pages.SelectMany(page => page).Select(item => $"{item.Partition}/{item.Sort}"));
        Assert.All(pages.SelectMany(page => page), item => Assert.Equal($"\"{item.Partition}/{item.Sort}\"", item.Json));
        Assert.All(pages.SelectMany(page => page), item => Assert.Equal("t", item.Table));
    }

    [Fact]
    public async Task ScanAsync_AfterKeyThatDoesNotExist_StartsStrictlyAfterIt()
    {
        await WriteAsync(
            new PutItem("t", "a", "1", "{}"),
            new PutItem("t", "b", "1", "{}"),
            new PutItem("t", "b", "3", "{}"),
            new PutItem("t", "c", "0", "{}"));

        var items = await Store.ScanAsync("t", new ItemKey("b", "2"), 10, CancellationToken.None);

        Assert.Equal([new ItemKey("b", "3"), new ItemKey("c", "0")], items.Select(item => item.Key));
    }

    [Fact]
    public async Task ScanAsync_AfterLastItem_ReturnsEmptyList()
    {
        await WriteAsync(new PutItem("t", "a", "1", "{}"));

        Assert.Empty(await Store.ScanAsync("t", new ItemKey("a", "1"), 10, CancellationToken.None));
    }

    [Fact]
    public async Task ScanAsync_AfterPartitionWithEmptySort_IncludesThatPartitionsOtherItems()
    {
        await WriteAsync(new PutItem("t", "a", "", "{}"), new PutItem("t", "a", "x", "{}"), new PutItem("t", "b", "", "{}"));

        var items = await Store.ScanAsync("t", new ItemKey("a", ""), 10, CancellationToken.None);

        Assert.Equal([new ItemKey("a", "x"), new ItemKey("b", "")], items.Select(item => item.Key));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task ScanAsync_NonPositiveLimit_ThrowsArgumentOutOfRange(int limit)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ScanAsync("t", null, limit, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task CountAsync_CountsOnlyThatTable()
    {
        await WriteAsync(
            new PutItem("t", "a", "1", "{}"),
            new PutItem("t", "a", "2", "{}"),
            new PutItem("t", "b", "1", "{}"),
            new PutItem("u", "a", "1", "{}"));
        await WriteAsync(new DeleteItem("t", "a", "2"));

        Assert.Equal(2, await Store.CountAsync("t", CancellationToken.None));
        Assert.Equal(1, await Store.CountAsync("u", CancellationToken.None));
        Assert.Equal(0, await Store.CountAsync("v", CancellationToken.None));
    }
}
