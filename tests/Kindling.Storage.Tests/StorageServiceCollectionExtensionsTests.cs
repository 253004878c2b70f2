using Kindling.Storage.Code;
using Kindling.Storage.Encryption;
using Kindling.Storage.Metadata;
using Kindling.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Kindling.Storage.Tests;

public sealed class StorageServiceCollectionExtensionsTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void AddKindlingStorage_BeforeResolution_TouchesNoFiles()
    {
        var dataDirectory = _directory.Combine("data");

        using var provider = new ServiceCollection().AddKindlingStorage(dataDirectory).BuildServiceProvider();

        Assert.False(Directory.Exists(dataDirectory));
    }

    [Fact]
    public async Task AddKindlingStorage_Resolved_RegistersWorkingSingletonsUnderTheDataDirectory()
    {
        var dataDirectory = _directory.Combine("data");
        IMetadataStore metadata;
        await using (var provider = new ServiceCollection().AddKindlingStorage(dataDirectory).BuildServiceProvider())
        {
            metadata = provider.GetRequiredService<IMetadataStore>();
            var code = provider.GetRequiredService<ICodeStore>();

            Assert.IsType<SqliteMetadataStore>(metadata);
            Assert.IsType<ChunkedCodeStore>(code);
            Assert.Same(metadata, provider.GetRequiredService<IMetadataStore>());
            Assert.Same(code, provider.GetRequiredService<ICodeStore>());
            Assert.Same(provider.GetRequiredService<MasterKey>(), provider.GetRequiredService<MasterKey>());

            var stored = await code.PutAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);
            await metadata.WriteAsync([new PutItem("t", "p", "s", "{}")], CancellationToken.None);
            Assert.True(File.Exists(Path.Combine(dataDirectory, "code", "objects", stored.Id)));
            Assert.True(File.Exists(Path.Combine(dataDirectory, "kindling.db")));
            Assert.True(File.Exists(Path.Combine(dataDirectory, "master.key")));
        }

        // The container owns the metadata store and closed it.
        await Assert.ThrowsAsync<ObjectDisposedException>(() => metadata.CountAsync("t", CancellationToken.None).AsTask());
    }

    [Fact]
    public void AddKindlingStorage_ServiceAlreadyRegistered_KeepsIt()
    {
        var existing = new ChunkedCodeStore(_directory.Combine("elsewhere"), MasterKey.LoadOrCreate(_directory.Path));

        using var provider = new ServiceCollection()
            .AddSingleton<ICodeStore>(existing)
            .AddKindlingStorage(_directory.Combine("data"))
            .BuildServiceProvider();

        Assert.Same(existing, provider.GetRequiredService<ICodeStore>());
    }
}
