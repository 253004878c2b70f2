using Kindling.Invocation.Tests.TestSupport;

namespace Kindling.Invocation.Tests.Workers;

public sealed class WorkerManagerConcurrencyTests
{
    private static readonly string[] Keys = [.. Enumerable.Range(0, 10).Select(i => "f" + i)];

    [Fact]
    public async Task InvokeAsync_FiftyParallelInvocationsOverTenFunctions_OneEnvironmentPerConcurrentInvocationAndExactMemory()
    {
        var h = new ManagerHarness(budgetMb: 8192);
        var tasks = Enumerable.Range(0, 50).Select(i => h.Invoke(Keys[i % 10])).ToList();
        var invocations = new List<FakeInvocation>();
        for (var i = 0; i < 50; i++)
        {
            invocations.Add(await h.Factory.NextInvocationAsync());
        }

        Assert.Equal(50, h.Manager.ColdStarts);
        Assert.Equal(50, h.Factory.CreateCalls);
        Assert.Equal(50 * 128 * ManagerHarness.Mb, h.Manager.ReservedBytes);
        Assert.Equal(50, invocations.Select(i => i.Environment).Distinct().Count());
        Assert.All(Keys, k => Assert.Equal(5, h.Factory.Created.Count(e => e.Function.PoolKey == k)));
        Assert.All(Keys, k => Assert.Equal(5, h.Manager.GetCounts(k).Busy));
        invocations.ForEach(i => i.Complete());
        await Eventually.Within(Task.WhenAll(tasks));
        await h.UntilSettledAsync();
        Assert.All(Keys, k => Assert.Equal(5, h.Manager.GetCounts(k).Idle));

        // A second wave of the same shape runs entirely on warm environments.
        tasks = [.. Enumerable.Range(0, 50).Select(i => h.Invoke(Keys[i % 10]))];
        invocations.Clear();
        for (var i = 0; i < 50; i++)
        {
            invocations.Add(await h.Factory.NextInvocationAsync());
        }

        Assert.Equal(50, invocations.Select(i => i.Environment).Distinct().Count());
        invocations.ForEach(i => i.Complete());
        await Eventually.Within(Task.WhenAll(tasks));
        await h.UntilSettledAsync();
        Assert.Equal(50, h.Manager.ColdStarts);
        Assert.Equal(50 * 128 * ManagerHarness.Mb, h.Manager.ReservedBytes);

        await h.Manager.DisposeAsync();
        Assert.Equal(0, h.Manager.ReservedBytes);
        Assert.Equal(0, h.Manager.EnvironmentCount);
        Assert.All(h.Factory.Created, e =>
        {
            Assert.Equal(0, e.Violations);
            Assert.Equal(["invoke", "freeze", "thaw", "invoke", "freeze", "thaw", "shutdown:spindown", "dispose"], e.Calls);
        });
    }

    [Fact]
    public async Task InvokeAsync_ManyInvocationsUnderLoad_NeverOverlapOnAnEnvironmentAndAccountExactly()
    {
        var h = new ManagerHarness(budgetMb: 8192);
        h.Factory.AutoComplete = true;

        // 20 callers loop 100 times each, two callers per function: at most 2 invocations of a function at once.
        await Eventually.Within(Task.WhenAll(Enumerable.Range(0, 20).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await h.Invoke(Keys[caller % 10]);
            }
        }))));
        await h.UntilSettledAsync();

        Assert.All(Keys, k => Assert.InRange(h.Factory.Created.Count(e => e.Function.PoolKey == k), 1, 2));
        Assert.Equal(h.Manager.ColdStarts, h.Manager.EnvironmentCount);
        Assert.Equal(h.Manager.ColdStarts * 128 * ManagerHarness.Mb, h.Manager.ReservedBytes);
        Assert.Equal(2000, h.Factory.Created.Sum(e => e.Count("invoke")));
        await h.Manager.DisposeAsync();
        Assert.Equal(0, h.Manager.ReservedBytes);
        Assert.All(h.Factory.Created, e =>
        {
            Assert.Equal(0, e.Violations);
            Assert.Equal(e.Count("freeze"), e.Count("thaw"));
            Assert.Equal("dispose", e.Calls[^1]);
        });
    }
}
