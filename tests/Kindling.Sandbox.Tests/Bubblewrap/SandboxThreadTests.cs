using Kindling.Sandbox.Bubblewrap;

namespace Kindling.Sandbox.Tests.Bubblewrap;

public sealed class SandboxThreadTests
{
    [Fact]
    public async Task InvokeAsync_UrgentWork_RunsBeforeQueuedWork()
    {
        using var thread = new SandboxThread("test-sandbox-thread");
        using var busy = new ManualResetEventSlim();
        var order = new List<string>();
        var blocker = thread.InvokeAsync(() => busy.Wait(TimeSpan.FromSeconds(30)));
        var first = thread.InvokeAsync(() => Record(order, "spawn 1"));
        var second = thread.InvokeAsync(() => Record(order, "spawn 2"));
        var urgent = thread.InvokeAsync(() => Record(order, "listener"), urgent: true);

        busy.Set();
        await Task.WhenAll(blocker, first, second, urgent);

        Assert.Equal(["listener", "spawn 1", "spawn 2"], order);
    }

    [Fact]
    public async Task Dispose_RunsQueuedWorkThenRefusesMore()
    {
        var thread = new SandboxThread("test-sandbox-thread");
        var ran = thread.InvokeAsync(() => 42);

        thread.Dispose();

        Assert.Equal(42, await ran);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => thread.InvokeAsync(() => 1));
    }

    private static bool Record(List<string> order, string item)
    {
        order.Add(item);
        return true;
    }
}
