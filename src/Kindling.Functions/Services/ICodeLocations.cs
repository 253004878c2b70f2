namespace Kindling.Functions.Services;

/// <summary>Builds the time-limited download URL that GetFunction and GetLayerVersion return for code.</summary>
public interface ICodeLocations
{
    /// <summary>A URL from which the archive with this code store id can be downloaded.</summary>
    string For(string codeId);
}
