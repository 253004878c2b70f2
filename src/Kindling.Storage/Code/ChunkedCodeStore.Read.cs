using System.Buffers;
using System.Security.Cryptography;

namespace Kindling.Storage.Code;

// Reading: every chunk's GCM tag and the whole content's SHA-256 are verified before anything is returned.
public sealed partial class ChunkedCodeStore
{
    /// <inheritdoc />
    /// <exception cref="CodeObjectNotFoundException">No object has this id.</exception>
    /// <exception cref="CodeStoreCorruptionException">The object's files fail verification.</exception>
    public ValueTask<byte[]> ReadAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(id, cancellationToken));
    }

    private byte[] Read(string id, CancellationToken cancellationToken)
    {
        var manifest = ReadManifest(id);
        var content = GC.AllocateUninitializedArray<byte>((int)manifest.TotalSize);
        var buffer = ArrayPool<byte>.Shared.Rent(Envelope.Overhead + ChunkSize);
        Span<byte> key = stackalloc byte[KeyLength];
        Span<byte> nonce = stackalloc byte[CodeKeys.NonceLength];
        try
        {
            var offset = 0;
            foreach (var chunk in manifest.Chunks)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = _keys.ChunkName(chunk.Hash);
                var envelope = buffer.AsSpan(0, Envelope.Overhead + chunk.Length);
                if (!TryReadExactly(_layout.ChunkPath(name), envelope))
                {
                    throw new CodeStoreCorruptionException(id, $"chunk {name} is missing or has the wrong size.");
                }

                _keys.ChunkCipher(chunk.Hash, key, nonce);
                if (!Envelope.TryOpen(key, nonce, envelope, content.AsSpan(offset, chunk.Length)))
                {
                    throw new CodeStoreCorruptionException(id, $"chunk {name} failed authentication (altered on disk).");
                }

                offset += chunk.Length;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Span<byte> hash = stackalloc byte[CodeKeys.HashLength];
        SHA256.HashData(content, hash);
        if (!hash.SequenceEqual(manifest.ContentHash))
        {
            throw new CodeStoreCorruptionException(id, "the content's SHA-256 does not match the manifest.");
        }

        return content;
    }

    private ObjectManifest ReadManifest(string id)
    {
        if (!CodeStoreLayout.IsValidId(id))
        {
            throw new CodeObjectNotFoundException(id);
        }

        byte[] envelope;
        try
        {
            envelope = File.ReadAllBytes(_layout.ObjectPath(id));
        }
        catch (FileNotFoundException)
        {
            throw new CodeObjectNotFoundException(id);
        }

        if (envelope.Length < Envelope.Overhead)
        {
            throw new CodeStoreCorruptionException(id, "the manifest is truncated.");
        }

        var plaintext = new byte[envelope.Length - Envelope.Overhead];
        Span<byte> key = stackalloc byte[KeyLength];
        Span<byte> nonce = stackalloc byte[CodeKeys.NonceLength];
        _keys.ManifestCipher(Convert.FromHexString(id), key, nonce);
        var opened = Envelope.TryOpen(key, nonce, envelope, plaintext);
        CryptographicOperations.ZeroMemory(key);
        if (!opened)
        {
            throw new CodeStoreCorruptionException(
                id, "the manifest failed authentication (altered on disk, or written under another master key).");
        }

        var manifest = ObjectManifest.TryRead(plaintext, ChunkSize);
        if (manifest is null || _keys.ObjectId(manifest.ContentHash) != id)
        {
            throw new CodeStoreCorruptionException(id, "the manifest is malformed.");
        }

        return manifest;
    }

    private static bool TryReadExactly(string path, Span<byte> destination)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (RandomAccess.GetLength(handle) != destination.Length)
            {
                return false;
            }

            var offset = 0;
            while (offset < destination.Length)
            {
                var read = RandomAccess.Read(handle, destination[offset..], offset);
                if (read == 0)
                {
                    return false;
                }

                offset += read;
            }

            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }
}
