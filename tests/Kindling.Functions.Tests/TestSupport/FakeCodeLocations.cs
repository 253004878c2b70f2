using Kindling.Functions.Services;

namespace Kindling.Functions.Tests.TestSupport;

/// <summary>Download URLs that only name the code id.</summary>
internal sealed class FakeCodeLocations : ICodeLocations
{
    public string For(string codeId) => "http://localhost/code/" + codeId;
}
