using System.Text;
using Kindling.Runtime.Dotnet.Loading;

namespace Kindling.Runtime.Dotnet.Tests;

public sealed class TypeLookupTests
{
    [Fact]
    public void Find_SmallAssembly_SameTypeAsGetType() =>
        Assert.Same(typeof(TypeLookupTests), TypeLookup.Find(typeof(TypeLookupTests).Assembly, "Kindling.Runtime.Dotnet.Tests.TypeLookupTests"));

    [Fact]
    public void Find_LargeAssemblyWithWideIndexes_SameTypeAsGetType() =>
        Assert.Same(typeof(StringBuilder), TypeLookup.Find(typeof(object).Assembly, "System.Text.StringBuilder"));

    [Fact]
    public void FindInMetadata_BothAssemblies_NoFallbackNeeded()
    {
        Assert.Same(typeof(StringBuilder), TypeLookup.FindInMetadata(typeof(object).Assembly, "System.Text.StringBuilder"));
        Assert.Same(typeof(TypeLookupTests), TypeLookup.FindInMetadata(typeof(TypeLookupTests).Assembly, "Kindling.Runtime.Dotnet.Tests.TypeLookupTests"));
    }

    [Fact]
    public void Find_NestedType_FallsBackToGetType() =>
        Assert.Same(typeof(Nested), TypeLookup.Find(typeof(TypeLookupTests).Assembly, "Kindling.Runtime.Dotnet.Tests.TypeLookupTests+Nested"));

    [Fact]
    public void Find_Missing_Null() => Assert.Null(TypeLookup.Find(typeof(TypeLookupTests).Assembly, "Kindling.Nope"));

    [Fact]
    public void Find_GlobalNamespace_Found() => Assert.Same(typeof(GlobalType), TypeLookup.Find(typeof(TypeLookupTests).Assembly, "GlobalType"));

    public sealed class Nested;
}
