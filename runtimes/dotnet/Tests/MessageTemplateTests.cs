using Kindling.Runtime.Dotnet.Logging;

namespace Kindling.Runtime.Dotnet.Tests;

public sealed class MessageTemplateTests
{
    [Fact]
    public void Apply_NamedProperties_ArgumentsInOrder() =>
        Assert.Equal("bought 3 of apples", MessageTemplate.Apply("bought {count} of {item}", [3, "apples"]));

    [Fact]
    public void Apply_PositionalProperties_ArgumentsByIndex() =>
        Assert.Equal("b then a", MessageTemplate.Apply("{1} then {0}", ["a", "b"]));

    [Fact]
    public void Apply_FormatAndEscapes_FormattedAndUnescaped() =>
        Assert.Equal("{total} = 3.50", MessageTemplate.Apply("{{total}} = {value:F2}", [3.5]));

    [Fact]
    public void Apply_MissingArgument_PropertyKept() =>
        Assert.Equal("a and {b}", MessageTemplate.Apply("{a} and {b}", ["a"]));

    [Fact]
    public void Apply_NoArguments_TemplateAsIs() =>
        Assert.Equal("{not a property}", MessageTemplate.Apply("{not a property}", []));
}
