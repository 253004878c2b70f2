using System.Net;
using System.Text;
using Kindling.Functions.Services;
using Kindling.Functions.Tests.TestSupport;
using Kindling.Storage.Metadata;

namespace Kindling.Functions.Tests.Services;

public sealed class PaginationTests
{
    [Theory]
    [InlineData("my-function", "$LATEST")]
    [InlineData("f", "0000000012")]
    [InlineData("f", "")]
    [InlineData("f", "with\nnewline")]
    public void DecodeKey_EncodedKey_RoundTrips(string partition, string sort)
    {
        var key = new ItemKey(partition, sort);

        Assert.Equal(key, Pagination.DecodeKey(Pagination.EncodeKey(key)));
    }

    [Fact]
    public void EncodeKey_Key_IsBase64OfPartitionNewlineSort()
    {
        var marker = Pagination.EncodeKey(new ItemKey("f", "$LATEST"));

        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("f\n$LATEST")), marker);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void DecodeKey_NoMarker_ReturnsNull(string? marker)
    {
        Assert.Null(Pagination.DecodeKey(marker));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("YWJj")]
    [InlineData("%%%")]
    public void DecodeKey_InvalidMarker_ThrowsInvalidParameter(string marker)
    {
        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "Invalid marker: " + marker,
            () => Pagination.DecodeKey(marker));
    }

    [Fact]
    public void Page_FirstPage_ReturnsOffsetMarker()
    {
        var (page, next) = Pagination.Page([1, 2, 3, 4, 5], null, 2);

        Assert.Equal([1, 2], page);
        Assert.Equal("2", next);
    }

    [Fact]
    public void Page_MarkerFollowed_WalksEveryItemOnce()
    {
        int[] items = [1, 2, 3, 4, 5];
        var seen = new List<int>();
        string? marker = null;
        var pages = 0;
        do
        {
            (var page, marker) = Pagination.Page(items, marker, 2);
            seen.AddRange(page);
            pages++;
        }
        while (marker is not null);

        Assert.Equal(items, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public void Page_LastFullPage_HasNoMarker()
    {
        var (page, next) = Pagination.Page([1, 2, 3, 4], "2", 2);

        Assert.Equal([3, 4], page);
        Assert.Null(next);
    }

    [Fact]
    public void Page_NoMaxItems_UsesDefault()
    {
        var items = Enumerable.Range(0, 60).ToList();

        var (page, next) = Pagination.Page(items, null, null);

        Assert.Equal(50, page.Count);
        Assert.Equal("50", next);
    }

    [Fact]
    public void Page_MarkerPastEnd_ReturnsEmptyPage()
    {
        var (page, next) = Pagination.Page([1, 2], "10", 5);

        Assert.Empty(page);
        Assert.Null(next);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    public void Page_InvalidMarker_ThrowsInvalidParameter(string marker)
    {
        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "Invalid marker: " + marker,
            () => Pagination.Page([1, 2], marker, 1));
    }
}
