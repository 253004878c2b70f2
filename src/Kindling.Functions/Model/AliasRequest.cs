namespace Kindling.Functions.Model;

/// <summary>CreateAlias / UpdateAlias body.</summary>
public sealed record AliasRequest
{
    /// <summary>Alias name (create only).</summary>
    public string? Name { get; init; }
    /// <summary>Primary version.</summary>
    public string? FunctionVersion { get; init; }
    /// <summary>Description.</summary>
    public string? Description { get; init; }
    /// <summary>Weighted routing.</summary>
    public AliasRoutingConfiguration? RoutingConfig { get; init; }
    /// <summary>Only when this is the alias's revision (update only).</summary>
    public string? RevisionId { get; init; }
}
