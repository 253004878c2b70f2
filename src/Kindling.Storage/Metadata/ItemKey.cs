namespace Kindling.Storage.Metadata;

/// <summary>The key of an item within a table.</summary>
public readonly record struct ItemKey(string Partition, string Sort);
