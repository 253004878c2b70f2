using System.Buffers.Binary;

namespace Kindling.Storage.Code;

/// <summary>
/// An object's manifest (stored encrypted): the ordered chunks, the total size and the content's SHA-256.
/// Layout: format byte, int64 size, 32-byte hash, int32 count, then per chunk a 32-byte hash and an int32 length,
/// little-endian. Chunk lengths are stored rather than implied so that a later chunking scheme (content-defined
/// boundaries) can be read by the same code.
/// </summary>
internal sealed class ObjectManifest
{
    private const byte FormatVersion = 1;

    private const int HeaderLength = 1 + sizeof(long) + CodeKeys.HashLength + sizeof(int);

    private const int EntryLength = CodeKeys.HashLength + sizeof(int);

    public ObjectManifest(byte[] contentHash, long totalSize, ChunkRef[] chunks)
    {
        ContentHash = contentHash;
        TotalSize = totalSize;
        Chunks = chunks;
    }

    public byte[] ContentHash { get; }

    public long TotalSize { get; }

    public IReadOnlyList<ChunkRef> Chunks { get; }

    public int SerializedLength => HeaderLength + (Chunks.Count * EntryLength);

    public void Write(Span<byte> destination)
    {
        destination[0] = FormatVersion;
        BinaryPrimitives.WriteInt64LittleEndian(destination[1..], TotalSize);
        ContentHash.CopyTo(destination[9..]);
        BinaryPrimitives.WriteInt32LittleEndian(destination[(9 + CodeKeys.HashLength)..], Chunks.Count);
        var entry = destination[HeaderLength..];
        foreach (var chunk in Chunks)
        {
            chunk.Hash.CopyTo(entry);
            BinaryPrimitives.WriteInt32LittleEndian(entry[CodeKeys.HashLength..], chunk.Length);
            entry = entry[EntryLength..];
        }
    }

    /// <summary>Parses and checks a manifest's internal consistency; null when it is malformed.</summary>
    public static ObjectManifest? TryRead(ReadOnlySpan<byte> source, int maxChunkLength)
    {
        if (source.Length < HeaderLength || source[0] != FormatVersion)
        {
            return null;
        }

        var totalSize = BinaryPrimitives.ReadInt64LittleEndian(source[1..]);
        var contentHash = source.Slice(9, CodeKeys.HashLength).ToArray();
        var count = BinaryPrimitives.ReadInt32LittleEndian(source[(9 + CodeKeys.HashLength)..]);
        if (totalSize < 0 || totalSize > Array.MaxLength || count < 0 || source.Length != HeaderLength + ((long)count * EntryLength))
        {
            return null;
        }

        var chunks = new ChunkRef[count];
        long sum = 0;
        var entry = source[HeaderLength..];
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(entry[CodeKeys.HashLength..]);
            if (length <= 0 || length > maxChunkLength)
            {
                return null;
            }

            chunks[i] = new ChunkRef(entry[..CodeKeys.HashLength].ToArray(), length);
            sum += length;
            entry = entry[EntryLength..];
        }

        return sum == totalSize ? new ObjectManifest(contentHash, totalSize, chunks) : null;
    }
}
