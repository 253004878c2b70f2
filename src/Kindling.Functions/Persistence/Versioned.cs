namespace Kindling.Functions.Persistence;

/// <summary>A stored document with the version its next conditional write must name.</summary>
public sealed record Versioned<T>(T Value, long Version);
