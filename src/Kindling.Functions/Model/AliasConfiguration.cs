namespace Kindling.Functions.Model;

/// <summary>Lambda's AliasConfiguration shape.</summary>
public sealed record AliasConfiguration
{
    /// <summary>The alias ARN.</summary>
    public required string AliasArn { get; init; }
    /// <summary>The alias name.</summary>
    public required string Name { get; init; }
    /// <summary>The primary version.</summary>
    public required string FunctionVersion { get; init; }
    /// <summary>The description.</summary>
    public string Description { get; init; } = "";
    /// <summary>Weighted routing.</summary>
    public AliasRoutingConfiguration? RoutingConfig { get; init; }
    /// <summary>Changes on every update.</summary>
    public required string RevisionId { get; init; }
}

/// <summary>Weights of additional versions.</summary>
public sealed record AliasRoutingConfiguration(Dictionary<string, double>? AdditionalVersionWeights);
