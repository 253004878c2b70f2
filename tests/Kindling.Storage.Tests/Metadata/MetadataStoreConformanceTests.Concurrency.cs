using System.Collections.Concurrent;
using System.Globalization;
using Kindling.Storage.Metadata;

namespace Kindling.Storage.Tests.Metadata;

/// <summary>Optimistic concurrency under parallel writers.</summary>
public abstract partial class MetadataStoreConformanceTests
{
    [Fact]
    public async Task WriteAsync_ParallelConditionalIncrements_ExactlyOneWinnerPerVersion()
    {
        const int Workers = 16;
        const long FinalVersion = 200;
        await WriteAsync(new PutItem("counters", "c", "", "0"));
        var winners = new ConcurrentDictionary<long, int>();
        var conflicts = 0;

        async Task IncrementUntilDoneAsync(int worker)
        {
            while (true)
            {
                var item = (await GetAsync("counters", "c", ""))!;
                if (item.Version >= FinalVersion)
                {
                    return;
                }

                var next = (long.Parse(item.Json, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
                try
                {
                    await WriteAsync(new PutItem("counters", "c", "", next, item.Version));
                    Assert.True(winners.TryAdd(item.Version, worker), $"Two writers won version {item.Version}.");
                }
                catch (StoreConditionFailedException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(() => IncrementUntilDoneAsync(worker))));

        // Every increment from version 1 to 199 was won exactly once and none was lost: the value counts them.
        Assert.Equal(Enumerable.Range(1, (int)FinalVersion - 1).Select(version => (long)version), winners.Keys.Order());
        Assert.Equal(new StoredItem("counters", "c", "", "199", FinalVersion), await GetAsync("counters", "c", ""));
    }

    [Fact]
    public async Task WriteAsync_ParallelCreatesOfSameItem_ExactlyOneSucceeds()
    {
        const int Writers = 32;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var racing = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                await WriteAsync(new PutItem("t", "p", "s", writer.ToString(CultureInfo.InvariantCulture), ExpectedVersion: 0));
                return writer;
            }
            catch (StoreConditionFailedException)
            {
                return -1;
            }
        })).ToArray();
        start.SetResult();
        var outcomes = await Task.WhenAll(racing);

        var winner = Assert.Single(outcomes, outcome => outcome >= 0);
        Assert.Equal(Writers - 1, outcomes.Count(outcome => outcome < 0));
        Assert.Equal(new StoredItem("t", "p", "s", winner.ToString(CultureInfo.InvariantCulture), 1), await GetAsync("t", "p", "s"));
    }

    [Fact]
    public async Task WriteAsync_ReadsDuringWrites_SeeWholeBatchesOnly()
    {
        // Each batch moves one unit between two items; a reader must never observe a half-applied batch.
        await WriteAsync(new PutItem("accounts", "a", "", "100"), new PutItem("accounts", "b", "", "0"));
        var writer = Task.Run(async () =>
        {
            for (var i = 1; i <= 100; i++)
            {
                await WriteAsync(
                    new PutItem("accounts", "a", "", (100 - i).ToString(CultureInfo.InvariantCulture)),
                    new PutItem("accounts", "b", "", i.ToString(CultureInfo.InvariantCulture)));
            }
        });

        var observations = 0;
        while (!writer.IsCompleted || observations == 0)
        {
            var items = await Store.QueryAsync("accounts", "a", CancellationToken.None);
            var scan = await Store.ScanAsync("accounts", null, 10, CancellationToken.None);
            Assert.Single(items);
            Assert.Equal(2, scan.Count);
            Assert.Equal(100, scan.Sum(item => int.Parse(item.Json, CultureInfo.InvariantCulture)));
            Assert.Equal(scan[0].Version, scan[1].Version);
            observations++;
        }

        await writer;
        Assert.Equal(101, (await GetAsync("accounts", "b", ""))!.Version);
    }
}
