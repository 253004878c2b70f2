using System.Security.Cryptography;
using System.Text;
using Kindling.Storage.Encryption;

namespace Kindling.Storage.Code;

/// <summary>
/// Key derivation for the code store. One subkey per purpose (HMAC of the master key over a label) so that a
/// chunk's file name, its AES key, its nonce and an object's id are independent values even though all derive
/// from the same plaintext hash. Encryption is convergent: identical chunks get identical keys, nonces and
/// ciphertexts, which is what lets them deduplicate; each derived key only ever encrypts that one plaintext,
/// so a deterministic nonce is safe.
/// </summary>
internal sealed class CodeKeys
{
    public const int HashLength = SHA256.HashSizeInBytes;

    public const int NonceLength = 12;

    private readonly byte[] _chunkName;
    private readonly byte[] _chunkKey;
    private readonly byte[] _chunkNonce;
    private readonly byte[] _objectId;
    private readonly byte[] _manifestKey;
    private readonly byte[] _manifestNonce;

    public CodeKeys(MasterKey masterKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        var master = masterKey.Material;
        _chunkName = Derive(master, "kindling/code/v1/chunk-name");
        _chunkKey = Derive(master, "kindling/code/v1/chunk-key");
        _chunkNonce = Derive(master, "kindling/code/v1/chunk-nonce");
        _objectId = Derive(master, "kindling/code/v1/object-id");
        _manifestKey = Derive(master, "kindling/code/v1/manifest-key");
        _manifestNonce = Derive(master, "kindling/code/v1/manifest-nonce");
    }

    /// <summary>The chunk's file name: hex of a keyed hash, so names do not reveal plaintext hashes.</summary>
    public string ChunkName(ReadOnlySpan<byte> plaintextHash) => Hex(_chunkName, plaintextHash);

    /// <summary>The AES-256 key and nonce for a chunk.</summary>
    public void ChunkCipher(ReadOnlySpan<byte> plaintextHash, Span<byte> key, Span<byte> nonce)
        => Cipher(_chunkKey, _chunkNonce, plaintextHash, key, nonce);

    /// <summary>An object's id: hex of a keyed hash of the whole content's SHA-256.</summary>
    public string ObjectId(ReadOnlySpan<byte> contentHash) => Hex(_objectId, contentHash);

    /// <summary>
    /// The AES-256 key and nonce for an object's manifest, derived from the id (the reader knows only the id).
    /// One id always has the same manifest, so the deterministic nonce never encrypts two plaintexts.
    /// </summary>
    public void ManifestCipher(ReadOnlySpan<byte> objectId, Span<byte> key, Span<byte> nonce)
        => Cipher(_manifestKey, _manifestNonce, objectId, key, nonce);

    private static void Cipher(byte[] keyKey, byte[] nonceKey, ReadOnlySpan<byte> input, Span<byte> key, Span<byte> nonce)
    {
        HMACSHA256.HashData(keyKey, input, key);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(nonceKey, input, mac);
        mac[..NonceLength].CopyTo(nonce);
    }

    private static string Hex(byte[] key, ReadOnlySpan<byte> input)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, input, mac);
        return Convert.ToHexStringLower(mac);
    }

    private static byte[] Derive(ReadOnlySpan<byte> master, string label)
        => HMACSHA256.HashData(master, Encoding.UTF8.GetBytes(label));
}
