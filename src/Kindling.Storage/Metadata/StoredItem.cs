namespace Kindling.Storage.Metadata;

/// <summary>An item as stored: its key, its JSON document and its version (1 after the first put).</summary>
public sealed record StoredItem(string Table, string Partition, string Sort, string Json, long Version)
{
    /// <summary>The item's key.</summary>
    public ItemKey Key => new(Partition, Sort);
}
