namespace Kindling.Functions.Model;

/// <summary>
/// A function version as stored: the configuration as returned by the API, plus where its code is and the
/// unzipped sizes used for the limits.
/// </summary>
public sealed record FunctionVersionRecord
{
    /// <summary>The configuration.</summary>
    public required FunctionConfiguration Configuration { get; init; }
    /// <summary>The code store object id.</summary>
    public required string CodeId { get; init; }
    /// <summary>Unzipped size of the function's own code.</summary>
    public long UnzippedSize { get; init; }
    /// <summary>
    /// For a published version: the description <c>$LATEST</c> had when it was published (the version's own
    /// description may differ), so that PublishVersion can tell whether anything changed since.
    /// </summary>
    public string? SourceDescription { get; init; }
    /// <summary>Set while the background step of a create or update has not run yet.</summary>
    public PendingWork? Pending { get; init; }
}

/// <summary>
/// What the background validation of a function version still has to do: the kind of change, the revision it
/// applies to, and the record to roll back to when an update fails.
/// </summary>
public sealed record PendingWork(string Kind, string RevisionId, FunctionVersionRecord? Previous);

/// <summary>Function-level (unqualified) data: tags, reserved concurrency, version counter.</summary>
public sealed record FunctionMeta
{
    /// <summary>Highest version number ever published (never reused).</summary>
    public long LastVersion { get; init; }
    /// <summary>Tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
    /// <summary>Reserved concurrency, when set.</summary>
    public int? ReservedConcurrentExecutions { get; init; }
}
