using Kindling.Invocation.Environments;
using Kindling.Invocation.Placement;

namespace Kindling.Invocation.Tests.Placement;

public sealed class MemoryPlacementTests
{
    private const long Mb = 1024 * 1024;

    [Fact]
    public void TryReserve_WithinBudget_ReservesUntilFull()
    {
        var placement = new MemoryPlacement(1024 * Mb);

        Assert.True(placement.TryReserve(512 * Mb));
        Assert.True(placement.TryReserve(512 * Mb));
        Assert.False(placement.TryReserve(1));
        Assert.Equal(1024 * Mb, placement.ReservedBytes);

        placement.Release(512 * Mb);
        Assert.Equal(512 * Mb, placement.ReservedBytes);
    }

    [Fact]
    public async Task TryReserve_ManyThreadsContend_GrantsExactlyTheBudget()
    {
        var placement = new MemoryPlacement(100);
        var granted = 0;

        await Parallel.ForAsync(0, 10_000, (_, _) =>
        {
            if (placement.TryReserve(1))
            {
                Interlocked.Increment(ref granted);
            }

            return ValueTask.CompletedTask;
        });

        Assert.Equal(100, granted);
        Assert.Equal(100, placement.ReservedBytes);
    }

    [Fact]
    public async Task ReserveAndRelease_ManyThreadsInterleave_ReturnToZeroAndNeverExceedTheBudget()
    {
        var placement = new MemoryPlacement(64 * Mb);
        var evictor = new RecordingEvictor();
        var peak = 0L;

        await Parallel.ForAsync(0, 20_000, async (i, ct) =>
        {
            var bytes = (i % 4 + 1) * Mb;
            try
            {
                await placement.ReserveAsync(bytes, "f", evictor, ct);
            }
            catch (CapacityExceededException)
            {
                return;
            }

            var seen = placement.ReservedBytes;
            long current;
            while ((current = Volatile.Read(ref peak)) < seen && Interlocked.CompareExchange(ref peak, seen, current) != current)
            {
            }

            placement.Release(bytes);
        });

        Assert.Equal(0, placement.ReservedBytes);
        Assert.InRange(peak, Mb, 64 * Mb);
    }

    [Fact]
    public async Task ReserveAsync_DoesNotFit_EvictsForTheShortfallAndTakesOverTheEvictedReservation()
    {
        var placement = new MemoryPlacement(1000);
        Assert.True(placement.TryReserve(800));
        var evictor = new RecordingEvictor { Frees = 800 };

        await placement.ReserveAsync(500, "new", evictor, CancellationToken.None);

        Assert.Equal([(300L, "new")], evictor.Requests);
        Assert.Equal(500, placement.ReservedBytes);
    }

    [Fact]
    public async Task ReserveAsync_NothingToEvict_ThrowsNamingTheBudget()
    {
        var placement = new MemoryPlacement(23552 * Mb);
        Assert.True(placement.TryReserve(23552 * Mb));

        var error = await Assert.ThrowsAsync<CapacityExceededException>(
            () => placement.ReserveAsync(512 * Mb, "f", new RecordingEvictor(), CancellationToken.None).AsTask());

        Assert.Equal("Kindling cannot place a new 512 MB execution environment: 23552 MB of 23552 MB are held by busy and provisioned environments.", error.Message);
        Assert.Equal(23552 * Mb, placement.ReservedBytes);
    }

    [Fact]
    public void Release_MoreThanReserved_ThrowsAndKeepsTheCount()
    {
        var placement = new MemoryPlacement(1000);
        Assert.True(placement.TryReserve(10));

        Assert.Throws<InvalidOperationException>(() => placement.Release(11));
        Assert.Equal(10, placement.ReservedBytes);
    }

    private sealed class RecordingEvictor : IIdleEnvironmentEvictor
    {
        public long Frees { get; init; }

        public List<(long Bytes, string Except)> Requests { get; } = [];

        public ValueTask<long> EvictIdleAsync(long bytesWanted, string exceptPoolKey, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add((bytesWanted, exceptPoolKey));
            }

            return ValueTask.FromResult(Requests.Count == 1 ? Frees : 0);
        }

        public long GetEvictableBytes(string exceptPoolKey) => 0;
    }
}
