namespace Kindling.Storage.Code;

/// <summary>No object with the requested id exists in the code store.</summary>
public sealed class CodeObjectNotFoundException : Exception
{
    /// <summary>Creates the exception for a missing object.</summary>
    public CodeObjectNotFoundException(string id)
        : base($"Code object '{id}' does not exist.")
    {
        Id = id;
    }

    /// <summary>The requested id.</summary>
    public string Id { get; }
}
