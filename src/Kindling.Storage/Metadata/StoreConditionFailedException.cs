namespace Kindling.Storage.Metadata;

/// <summary>A write's condition did not hold; the batch was not applied.</summary>
public sealed class StoreConditionFailedException : Exception
{
    /// <summary>Creates the exception for the write whose condition failed.</summary>
    public StoreConditionFailedException(StoreWrite write)
        : base($"Condition failed for {write.Table}/{write.Partition}/{write.Sort} (expected version {write.ExpectedVersion}).")
    {
        Write = write;
    }

    /// <summary>The write whose condition failed.</summary>
    public StoreWrite Write { get; }
}
