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
    public ValueTask<CodeObject> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Put(content.Span, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<bool> ExistsAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(CodeStoreLayout.IsValidId(id) && File.Exists(_layout.ObjectPath(id)));
    }

    private CodeObject Put(ReadOnlySpan<byte> content, CancellationToken cancellationToken)
    {
        var contentHash = SHA256.HashData(content);
        var id = _keys.ObjectId(contentHash);
        var stored = new CodeObject(id, Convert.ToBase64String(contentHash), content.Length);
        var objectPath = _layout.ObjectPath(id);
        // The manifest is written last and only after its chunks are durable, so its presence means the object is whole.
        if (File.Exists(objectPath))
        {
            return stored;
        }

        var chunks = new ChunkRef[(content.Length + ChunkSize - 1) / ChunkSize];
        var chunkDirectories = new HashSet<string>(StringComparer.Ordinal);
        var buffer = ArrayPool<byte>.Shared.Rent(Envelope.Overhead + ChunkSize);
        Span<byte> key = stackalloc byte[KeyLength];
        Span<byte> nonce = stackalloc byte[CodeKeys.NonceLength];
        try
        {
            for (var i = 0; i < chunks.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var plaintext = content.Slice(i * ChunkSize, Math.Min(ChunkSize, content.Length - (i * ChunkSize)));
                var hash = SHA256.HashData(plaintext);
                chunks[i] = new ChunkRef(hash, plaintext.Length);
                var name = _keys.ChunkName(hash);
                // Flushed below even when the chunk already exists: the put that created it may have crashed
                // between its rename and its directory flush.
                chunkDirectories.Add(_layout.ChunkDirectory(name));
                var path = _layout.ChunkPath(name);
                if (File.Exists(path))
                {
                    continue;
                }

                _keys.ChunkCipher(hash, key, nonce);
                var length = Envelope.Seal(key, nonce, plaintext, buffer);
                DurableFile.WriteAndReplace(_layout.NewTempPath(), path, buffer.AsSpan(0, length));
            }

            foreach (var directory in chunkDirectories)
            {
                DurableFile.FlushDirectory(directory);
            }

            WriteManifest(id, new ObjectManifest(contentHash, content.Length, chunks), buffer);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return stored;
    }

    private void WriteManifest(string id, ObjectManifest manifest, byte[] buffer)
    {
        // The largest possible manifest (2 GiB of content: 4,096 entries, ~144 KiB) fits in a chunk buffer.
        var plaintext = ArrayPool<byte>.Shared.Rent(manifest.SerializedLength);
        Span<byte> key = stackalloc byte[KeyLength];
        Span<byte> nonce = stackalloc byte[CodeKeys.NonceLength];
        try
        {
            manifest.Write(plaintext);
            _keys.ManifestCipher(Convert.FromHexString(id), key, nonce);
            var length = Envelope.Seal(key, nonce, plaintext.AsSpan(0, manifest.SerializedLength), buffer);
            DurableFile.WriteAndReplace(_layout.NewTempPath(), _layout.ObjectPath(id), buffer.AsSpan(0, length));
            DurableFile.FlushDirectory(_layout.Objects);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            ArrayPool<byte>.Shared.Return(plaintext);
        }
    }
}
