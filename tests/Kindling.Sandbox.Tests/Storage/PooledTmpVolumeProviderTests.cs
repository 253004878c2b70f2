using Kindling.Sandbox.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kindling.Sandbox.Tests.Storage;

public sealed class PooledTmpVolumeProviderTests
{
    private const long Size = 512L * 1024 * 1024;

    [Fact]
    public async Task CreateAsync_PrewarmedSize_TakesAReadyVolumeAndRefills()
    {
        var inner = new FakeProvider();
        await using var pool = new PooledTmpVolumeProvider(inner, 2, [Size], NullLogger.Instance);
        Assert.True(await SandboxAssert.EventuallyAsync(() => pool.ReadyCount(Size) == 2));

        var volume = await pool.CreateAsync("fn", Size, CancellationToken.None);

        Assert.Equal("pool-1", volume.HostDirectory);
        Assert.True(await SandboxAssert.EventuallyAsync(() => pool.ReadyCount(Size) == 2));
        Assert.Equal(["pool-1", "pool-2", "pool-3"], inner.Created.Select(v => v.HostDirectory));
    }

    [Fact]
    public async Task CreateAsync_NewSize_MakesItsOwnThenStocksThatSize()
    {
        var inner = new FakeProvider();
        await using var pool = new PooledTmpVolumeProvider(inner, 1, [], NullLogger.Instance);

        var volume = await pool.CreateAsync("fn", 1024 * 1024, CancellationToken.None);

        Assert.Equal("fn", volume.HostDirectory);
        Assert.True(await SandboxAssert.EventuallyAsync(() => pool.ReadyCount(1024 * 1024) == 1));
    }

    [Fact]
    public async Task DisposeAsync_ReadyVolumes_AreReleased()
    {
        var inner = new FakeProvider();
        var pool = new PooledTmpVolumeProvider(inner, 3, [Size], NullLogger.Instance);
        Assert.True(await SandboxAssert.EventuallyAsync(() => pool.ReadyCount(Size) == 3));

        await pool.DisposeAsync();

        Assert.All(inner.Created, v => Assert.True(v.Disposed));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.CreateAsync("fn", Size, CancellationToken.None).AsTask());
    }

    private sealed class FakeProvider : ITmpVolumeProvider
    {
        public void RemoveLeftovers()
        {
        }

        private readonly List<FakeVolume> _created = [];

        public IReadOnlyList<FakeVolume> Created
        {
            get
            {
                lock (_created)
                {
                    return [.. _created];
                }
            }
        }

        public long MemoryLimitSurcharge(long sizeBytes) => 0;

        public ValueTask<ITmpVolume> CreateAsync(string id, long sizeBytes, CancellationToken cancellationToken)
        {
            var volume = new FakeVolume(id, sizeBytes);
            lock (_created)
            {
                _created.Add(volume);
            }

            return ValueTask.FromResult<ITmpVolume>(volume);
        }
    }

    private sealed class FakeVolume(string name, long size) : ITmpVolume
    {
        public string? HostDirectory => name;

        public long SizeBytes => size;

        public bool Disposed { get; private set; }

        public void DetachFromHost()
        {
        }

        public void Dispose() => Disposed = true;
    }
}
