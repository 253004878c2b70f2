using Kindling.Api.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Kindling.Api.Tests.Hosting;

public sealed class SignedHeaderViewTests
{
    private static HeaderDictionary Received() => new()
    {
        ["Host"] = "127.0.0.1:9000",
        ["X-Amz-Date"] = "20250314T092653Z",
        ["x-custom"] = new StringValues(["a", "b  c"]),
    };

    [Fact]
    public void TryGetValue_LowerCaseNameOfAHeaderReceivedInAnyCase_FindsItsValues()
    {
        var view = new SignedHeaderView(Received());

        Assert.True(view.TryGetValue("host", out var host));
        Assert.Equal(["127.0.0.1:9000"], host);
        Assert.True(view.TryGetValue("x-amz-date", out var date));
        Assert.Equal(["20250314T092653Z"], date);
        Assert.Equal(["a", "b  c"], view["x-custom"]);
    }

    [Fact]
    public void TryGetValue_NameNotInLowerCase_IsNotFound()
    {
        var view = new SignedHeaderView(Received());

        Assert.False(view.TryGetValue("X-Amz-Date", out _));
        Assert.False(view.ContainsKey("Host"));
        Assert.False(view.TryGetValue("x-amz-security-token", out _));
    }

    [Fact]
    public void Enumeration_ListsEveryHeaderByLowerCaseName()
    {
        var view = new SignedHeaderView(Received());

        Assert.Equal(3, view.Count);
        Assert.Equal(["host", "x-amz-date", "x-custom"], view.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["a", "b  c"], view.Single(pair => pair.Key == "x-custom").Value);
    }
}
