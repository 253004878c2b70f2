namespace Kindling.Storage.Metadata;

/// <summary>
/// One write of an atomic batch. <see cref="ExpectedVersion"/>: null applies unconditionally, 0 requires
/// that the item does not exist, a positive number requires the item to be at exactly that version.
/// </summary>
public abstract record StoreWrite(string Table, string Partition, string Sort, long? ExpectedVersion);

/// <summary>Creates or replaces an item; its version becomes the previous version plus one.</summary>
public sealed record PutItem(string Table, string Partition, string Sort, string Json, long? ExpectedVersion = null)
    : StoreWrite(Table, Partition, Sort, ExpectedVersion);

/// <summary>Deletes an item; deleting a missing item without a condition is not an error.</summary>
public sealed record DeleteItem(string Table, string Partition, string Sort, long? ExpectedVersion = null)
    : StoreWrite(Table, Partition, Sort, ExpectedVersion);

/// <summary>Writes nothing; only checks its condition as part of the batch.</summary>
public sealed record CheckItem(string Table, string Partition, string Sort, long Expected)
    : StoreWrite(Table, Partition, Sort, Expected);
