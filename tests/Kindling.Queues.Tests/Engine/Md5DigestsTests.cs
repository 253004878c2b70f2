using Kindling.Queues.Engine;

namespace Kindling.Queues.Tests.Engine;

public sealed class Md5DigestsTests
{
    [Fact]
    public void OfAttributes_StringAttribute_MatchesWhatTheAwsCliChecks()
    {
        // The AWS CLI verifies this digest of {"a": String "x"} on send-message.
        var digest = Md5Digests.OfAttributes([new("a", new MessageAttribute("String", "x", null))]);
        Assert.Equal("a512aac9938034acb0b3c3d965944bf1", digest);
    }

    [Fact]
    public void OfAttributes_None_IsNull() => Assert.Null(Md5Digests.OfAttributes([]));

    [Fact]
    public void OfBody_IsMd5OfUtf8() => Assert.Equal("5d41402abc4b2a76b9719d911017c592", Md5Digests.OfBody("hello"));
}
