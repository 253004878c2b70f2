namespace Kindling.Storage.Code;

/// <summary>
/// Content-addressed store for function code and layer archives: split into chunks, deduplicated, encrypted
/// at rest with AES-GCM under the data directory's master key. A put returns only once the object is durable.
/// </summary>
public interface ICodeStore
{
    /// <summary>Stores an archive (idempotent for identical content) and returns its identity.</summary>
    ValueTask<CodeObject> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Reads a whole archive back, verifying its integrity.</summary>
    ValueTask<byte[]> ReadAsync(string id, CancellationToken cancellationToken);

    /// <summary>True when the object exists.</summary>
    ValueTask<bool> ExistsAsync(string id, CancellationToken cancellationToken);
}
