using System.Security.Cryptography;
using System.Text;
using Kindling.Storage.Code;
using Kindling.Storage.Encryption;

namespace Kindling.Storage.Tests.Code;

public sealed class ChunkedCodeStoreTests : IDisposable
{
    private const int Chunk = ChunkedCodeStore.ChunkSize;

    private readonly TestDirectory _directory = new();
    private readonly MasterKey _key;
    private readonly ChunkedCodeStore _store;

    public ChunkedCodeStoreTests()
    {
        _key = MasterKey.LoadOrCreate(_directory.Path);
        _store = new ChunkedCodeStore(CodeRoot, _key);
    }

    private string CodeRoot => _directory.Combine("code");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(1000, 1)]
    [InlineData(Chunk - 1, 1)]
    [InlineData(Chunk, 1)]
    [InlineData(Chunk + 1, 2)]
    [InlineData(3 * 1024 * 1024, 6)]
    public async Task PutAsync_RandomContent_RoundTripsThroughChunks(int size, int expectedChunks)
    {
        var content = RandomBytes(size);

        var stored = await _store.PutAsync(content, CancellationToken.None);
        var read = await _store.ReadAsync(stored.Id, CancellationToken.None);

        Assert.Equal(content, read);
        Assert.Equal(size, stored.Size);
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(content)), stored.Sha256Base64);
        Assert.Equal(expectedChunks, ChunkFiles().Length);
        Assert.Equal([stored.Id], ObjectFiles());
    }

    [Fact]
    public async Task PutAsync_EmptyContent_HasTheEmptySha256()
    {
        var stored = await _store.PutAsync(ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        Assert.Equal("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", stored.Sha256Base64);
        Assert.Empty(await _store.ReadAsync(stored.Id, CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_Id_IsKeyedAndDoesNotRevealTheContentHash()
    {
        var content = RandomBytes(100);

        var stored = await _store.PutAsync(content, CancellationToken.None);

        Assert.Matches("^[0-9a-f]{64}$", stored.Id);
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData(content)), stored.Id);
        using var other = new TestDirectory();
        var otherStore = new ChunkedCodeStore(other.Combine("code"), MasterKey.LoadOrCreate(other.Path));
        Assert.NotEqual(stored.Id, (await otherStore.PutAsync(content, CancellationToken.None)).Id);
    }

    [Fact]
    public async Task PutAsync_IdenticalContentTwice_ReturnsSameObjectAndWritesNoFile()
    {
        var content = RandomBytes((2 * Chunk) + 10);
        var first = await _store.PutAsync(content, CancellationToken.None);
        var filesBefore = AllFiles().ToDictionary(path => path, File.GetLastWriteTimeUtc);

        var second = await _store.PutAsync(content.ToArray(), CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(filesBefore, AllFiles().ToDictionary(path => path, File.GetLastWriteTimeUtc));
    }

    [Fact]
    public async Task PutAsync_ObjectsSharingChunks_StoreEachChunkOnce()
    {
        var shared = RandomBytes(Chunk);
        var first = await _store.PutAsync(Concat(shared, RandomBytes(Chunk), RandomBytes(100)), CancellationToken.None);
        Assert.Equal(3, ChunkFiles().Length);

        var secondContent = Concat(shared, RandomBytes(Chunk / 2));
        var second = await _store.PutAsync(secondContent, CancellationToken.None);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(4, ChunkFiles().Length);
        Assert.Equal(secondContent, await _store.ReadAsync(second.Id, CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_RepeatedChunkWithinOneObject_StoresItOnce()
    {
        var block = RandomBytes(Chunk);
        var content = Concat(block, block, block);

        var stored = await _store.PutAsync(content, CancellationToken.None);

        Assert.Single(ChunkFiles());
        Assert.Equal(content, await _store.ReadAsync(stored.Id, CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_FilesOnDisk_DoNotContainPlaintextOrPlaintextHashes()
    {
        var marker = Encoding.ASCII.GetBytes("KINDLING-PLAINTEXT-MARKER");
        var content = Enumerable.Repeat(marker, (Chunk + 1000) / marker.Length).SelectMany(bytes => bytes).ToArray();
        var chunkHashes = new[] { content[..Chunk], content[Chunk..] }.Select(part => Convert.ToHexStringLower(SHA256.HashData(part))).ToArray();

        var stored = await _store.PutAsync(content, CancellationToken.None);

        foreach (var path in AllFiles())
        {
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(marker));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(SHA256.HashData(content)));
        }

        Assert.Equal(2, ChunkFiles().Length);
        Assert.Empty(ChunkFiles().Select(Path.GetFileName).Intersect(chunkHashes));
        Assert.Equal(content, await _store.ReadAsync(stored.Id, CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_ChunkWithOneFlippedBit_ThrowsCorruption()
    {
        var stored = await _store.PutAsync(RandomBytes(Chunk + 5), CancellationToken.None);
        var victim = ChunkFiles().Single(path => new FileInfo(path).Length == 5 + 17);
        FlipBit(victim, 20);

        var error = await Assert.ThrowsAsync<CodeStoreCorruptionException>(() => _store.ReadAsync(stored.Id, CancellationToken.None).AsTask());

        Assert.Equal(stored.Id, error.Id);
        Assert.Equal(
            $"Code object '{stored.Id}' failed verification: chunk {Path.GetFileName(victim)} failed authentication (altered on disk).",
            error.Message);
    }

    [Fact]
    public async Task ReadAsync_TruncatedChunk_ThrowsCorruption()
    {
        var stored = await _store.PutAsync(RandomBytes(1000), CancellationToken.None);
        var victim = Assert.Single(ChunkFiles());
        using (var stream = File.OpenWrite(victim))
        {
            stream.SetLength(500);
        }

        var error = await Assert.ThrowsAsync<CodeStoreCorruptionException>(() => _store.ReadAsync(stored.Id, CancellationToken.None).AsTask());

        Assert.Equal($"Code object '{stored.Id}' failed verification: chunk {Path.GetFileName(victim)} is missing or has the wrong size.", error.Message);
    }

    [Fact]
    public async Task ReadAsync_MissingChunk_ThrowsCorruption()
    {
        var stored = await _store.PutAsync(RandomBytes(1000), CancellationToken.None);
        var victim = Assert.Single(ChunkFiles());
        File.Delete(victim);

        var error = await Assert.ThrowsAsync<CodeStoreCorruptionException>(() => _store.ReadAsync(stored.Id, CancellationToken.None).AsTask());

        Assert.Equal($"Code object '{stored.Id}' failed verification: chunk {Path.GetFileName(victim)} is missing or has the wrong size.", error.Message);
    }

    [Fact]
    public async Task ReadAsync_TamperedManifest_ThrowsCorruption()
    {
        var stored = await _store.PutAsync(RandomBytes(1000), CancellationToken.None);
        FlipBit(Path.Combine(CodeRoot, "objects", stored.Id), 30);

        var error = await Assert.ThrowsAsync<CodeStoreCorruptionException>(() => _store.ReadAsync(stored.Id, CancellationToken.None).AsTask());

        Assert.Equal(
            $"Code object '{stored.Id}' failed verification: the manifest failed authentication (altered on disk, or written under another master key).",
            error.Message);
    }

    [Fact]
    public async Task ReadAsync_ManifestCopiedUnderAnotherId_ThrowsCorruption()
    {
        var first = await _store.PutAsync(RandomBytes(10), CancellationToken.None);
        var second = await _store.PutAsync(RandomBytes(10), CancellationToken.None);
        File.Copy(Path.Combine(CodeRoot, "objects", first.Id), Path.Combine(CodeRoot, "objects", second.Id), overwrite: true);

        var error = await Assert.ThrowsAsync<CodeStoreCorruptionException>(() => _store.ReadAsync(second.Id, CancellationToken.None).AsTask());

        Assert.Equal(second.Id, error.Id);
    }

    [Fact]
    public async Task ReadAsync_StoreOpenedWithAnotherMasterKey_ThrowsCorruption()
    {
        var stored = await _store.PutAsync(RandomBytes(1000), CancellationToken.None);
        using var other = new TestDirectory();
        var wrongKey = new ChunkedCodeStore(CodeRoot, MasterKey.LoadOrCreate(other.Path));

        var error = await Assert.ThrowsAsync<CodeStoreCorruptionException>(() => wrongKey.ReadAsync(stored.Id, CancellationToken.None).AsTask());

        Assert.Equal(
            $"Code object '{stored.Id}' failed verification: the manifest failed authentication (altered on disk, or written under another master key).",
            error.Message);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("../../master.key")]
    [InlineData("ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    [InlineData("")]
    public async Task ReadAsync_UnknownOrMalformedId_ThrowsNotFound(string id)
    {
        var error = await Assert.ThrowsAsync<CodeObjectNotFoundException>(() => _store.ReadAsync(id, CancellationToken.None).AsTask());

        Assert.Equal(id, error.Id);
        Assert.Equal($"Code object '{id}' does not exist.", error.Message);
        Assert.False(await _store.ExistsAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task ExistsAsync_StoredObject_ReturnsTrue()
    {
        var stored = await _store.PutAsync(RandomBytes(10), CancellationToken.None);

        Assert.True(await _store.ExistsAsync(stored.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Constructor_ExistingStore_ReadsObjectsAndRemovesStaleTempFiles()
    {
        var content = RandomBytes(Chunk + 3);
        var stored = await _store.PutAsync(content, CancellationToken.None);
        var stale = Path.Combine(CodeRoot, "tmp", "0123456789abcdef.tmp");
        File.WriteAllBytes(stale, [1, 2, 3]);

        var reopened = new ChunkedCodeStore(CodeRoot, MasterKey.LoadOrCreate(_directory.Path));

        Assert.False(File.Exists(stale));
        Assert.Equal(content, await reopened.ReadAsync(stored.Id, CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_ConcurrentPutsOfOverlappingContent_AllReadBack()
    {
        var shared = RandomBytes(Chunk);
        var contents = Enumerable.Range(0, 8).Select(i => Concat(shared, RandomBytes(1000 + i))).ToArray();

        var stored = await Task.WhenAll(contents.Concat(contents).Select(content => Task.Run(() => _store.PutAsync(content, CancellationToken.None).AsTask())));

        Assert.Equal(8, stored.Select(item => item.Id).Distinct().Count());
        Assert.Equal(9, ChunkFiles().Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(CodeRoot, "tmp")));
        for (var i = 0; i < contents.Length; i++)
        {
            Assert.Equal(contents[i], await _store.ReadAsync(stored[i].Id, CancellationToken.None));
        }
    }

    [Fact]
    public async Task PutAsync_CancelledToken_ThrowsAndStoresNothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.PutAsync(RandomBytes(10), cancelled.Token).AsTask());

        Assert.Empty(AllFiles());
    }

    private string[] ChunkFiles() => Directory.GetFiles(Path.Combine(CodeRoot, "chunks"), "*", SearchOption.AllDirectories);

    private string[] ObjectFiles() => Directory.GetFiles(Path.Combine(CodeRoot, "objects")).Select(path => Path.GetFileName(path)).ToArray();

    private string[] AllFiles() => Directory.GetFiles(CodeRoot, "*", SearchOption.AllDirectories);

    private static byte[] RandomBytes(int size) => RandomNumberGenerator.GetBytes(size);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(part => part).ToArray();

    private static void FlipBit(string path, int offset)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }
}
