namespace Kindling.Storage.Code;

/// <summary>
/// A stored object failed verification: a file is missing, truncated or altered, or it was written under a
/// different master key. The object cannot be returned; nothing partial is ever returned instead.
/// </summary>
public sealed class CodeStoreCorruptionException : Exception
{
    /// <summary>Creates the exception for the object that failed verification.</summary>
    public CodeStoreCorruptionException(string id, string reason)
        : base($"Code object '{id}' failed verification: {reason}")
    {
        Id = id;
    }

    /// <summary>The id of the object that failed verification.</summary>
    public string Id { get; }
}
