using System.Buffers;
using System.Security.Cryptography;
using Kindling.Storage.Durability;
using Kindling.Storage.Encryption;

namespace Kindling.Storage.Code;

/// <summary>
/// The code store on local disk: content split into 512 KiB chunks, each stored once (content-addressed,
/// deduplicated across objects) and encrypted with AES-256-GCM under keys derived from the master key and the
/// chunk's plaintext hash (convergent encryption); an object is an encrypted manifest listing its chunks.
/// A put returns only after every file and directory entry it depends on is flushed to disk, and writes the
/// manifest last, so a crash leaves either the whole object or no object (plus temp files, removed at open).
/// One process owns a store directory at a time.
/// </summary>
public sealed partial class ChunkedCodeStore : ICodeStore
{
    /// <summary>The chunk size: large enough that per-file costs (an fsync each) stay small next to the data.</summary>
    public const int ChunkSize = 512 * 1024;

    private const int KeyLength = 32;

    /// <summary>Chunks written at once by one put: enough to overlap fsyncs, few enough to bound buffer memory.</summary>
    private const int MaxParallelChunks = 4;

    private readonly CodeKeys _keys;
    private readonly CodeStoreLayout _layout;

    /// <summary>
    /// Opens (creating if needed) the store rooted at <paramref name="directory"/> and removes temp files left
    /// by an earlier crash.
    /// </summary>
    public ChunkedCodeStore(string directory, MasterKey masterKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(masterKey);
        _keys = new CodeKeys(masterKey);
        _layout = new CodeStoreLayout(directory);
        _layout.Initialize();
    }

    /// <inheritdoc />
    /// <remarks>
    /// Three flush rounds whatever the size: every new chunk is encrypted, written and flushed in parallel (their
    /// fsyncs overlap); then the chunks' directories and the manifest's temp file are flushed together; then the
    /// manifest is renamed into place and its directory flushed. The manifest becomes visible only after every
    /// chunk it names is durable. Cancellation is honoured until the manifest is published.
    /// </remarks>
    public async ValueTask<CodeObject> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var contentHash = SHA256.HashData(content.Span);
        var id = _keys.ObjectId(contentHash);
        var stored = new CodeObject(id, Convert.ToBase64String(contentHash), content.Length);
        var objectPath = _layout.ObjectPath(id);
        // The manifest is published last, so its presence means the whole object is durable.
        if (File.Exists(objectPath))
        {
            return stored;
        }

        var count = (content.Length + ChunkSize - 1) / ChunkSize;
        var chunks = new ChunkRef[count];
        var directories = new string[count];
        if (count == 1)
        {
            (chunks[0], directories[0]) = StoreChunk(content.Span);
        }
        else if (count > 1)
        {
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelChunks, CancellationToken = cancellationToken }, (i, _) =>
            {
                (chunks[i], directories[i]) = StoreChunk(content.Span.Slice(i * ChunkSize, Math.Min(ChunkSize, content.Length - (i * ChunkSize))));
                return ValueTask.CompletedTask;
            });
        }

        var manifestTemp = _layout.NewTempPath();
        try
        {
            var manifest = new ObjectManifest(contentHash, content.Length, chunks);
            // Directories of chunks that already existed are flushed too: the put that created one of them may
            // have crashed between its rename and its directory flush.
            await Task.WhenAll(directories.Distinct(StringComparer.Ordinal)
                .Select(directory => Task.Run(() => DurableFile.FlushDirectory(directory), cancellationToken))
                .Append(Task.Run(() => WriteManifest(manifestTemp, id, manifest), cancellationToken)));
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(manifestTemp, objectPath, overwrite: true);
        }
        catch
        {
            DurableFile.TryDelete(manifestTemp);
            throw;
        }

        DurableFile.FlushDirectory(_layout.Objects);
        return stored;
    }

    /// <inheritdoc />
    public ValueTask<bool> ExistsAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(CodeStoreLayout.IsValidId(id) && File.Exists(_layout.ObjectPath(id)));
    }

    /// <summary>Stores one chunk unless an identical one exists; returns its reference and its directory.</summary>
    private (ChunkRef Chunk, string Directory) StoreChunk(ReadOnlySpan<byte> plaintext)
    {
        var hash = SHA256.HashData(plaintext);
        var name = _keys.ChunkName(hash);
        var path = _layout.ChunkPath(name);
        // Identical plaintext has the identical name and ciphertext: an existing file is this chunk, already flushed.
        if (!File.Exists(path))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(Envelope.Overhead + plaintext.Length);
            Span<byte> key = stackalloc byte[KeyLength];
            Span<byte> nonce = stackalloc byte[CodeKeys.NonceLength];
            try
            {
                _keys.ChunkCipher(hash, key, nonce);
                var length = Envelope.Seal(key, nonce, plaintext, buffer);
                DurableFile.WriteAndReplace(_layout.NewTempPath(), path, buffer.AsSpan(0, length));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return (new ChunkRef(hash, plaintext.Length), _layout.ChunkDirectory(name));
    }

    /// <summary>Encrypts the manifest into a flushed temp file, not yet visible under the object's id.</summary>
    private void WriteManifest(string tempPath, string id, ObjectManifest manifest)
    {
        var plaintextLength = manifest.SerializedLength;
        var plaintext = ArrayPool<byte>.Shared.Rent(plaintextLength);
        var envelope = ArrayPool<byte>.Shared.Rent(Envelope.Overhead + plaintextLength);
        Span<byte> key = stackalloc byte[KeyLength];
        Span<byte> nonce = stackalloc byte[CodeKeys.NonceLength];
        try
        {
            manifest.Write(plaintext);
            _keys.ManifestCipher(Convert.FromHexString(id), key, nonce);
            var length = Envelope.Seal(key, nonce, plaintext.AsSpan(0, plaintextLength), envelope);
            DurableFile.WriteNew(tempPath, envelope.AsSpan(0, length));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            ArrayPool<byte>.Shared.Return(plaintext);
            ArrayPool<byte>.Shared.Return(envelope);
        }
    }
}
