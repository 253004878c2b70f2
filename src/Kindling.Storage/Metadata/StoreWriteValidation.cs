namespace Kindling.Storage.Metadata;

/// <summary>Argument checks for a write batch, done before any lock is taken.</summary>
internal static class StoreWriteValidation
{
    public static void Validate(IReadOnlyList<StoreWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        foreach (var write in writes)
        {
            ArgumentNullException.ThrowIfNull(write, nameof(writes));
            if (write.Table is null || write.Partition is null || write.Sort is null || write is PutItem { Json: null })
            {
                throw new ArgumentException(
                    $"Write {write} has a null table, partition, sort key or document.", nameof(writes));
            }

            if (write.ExpectedVersion < 0)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(writes), write.ExpectedVersion, $"Write {write} expects a negative version.");
            }
        }
    }
}
