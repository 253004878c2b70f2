using Kindling.Invocation.Workers;

namespace Kindling.Invocation.Tests.Workers;

public sealed class BackgroundWorkTests
{
    [Fact]
    public async Task WhenIdleAsync_WorkRunning_CompletesWhenItEnds()
    {
        var work = new BackgroundWork();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = work.Run(static g => g.Task, gate);

        var idle = work.WhenIdleAsync();

        Assert.False(idle.IsCompleted);
        Assert.Equal(1, work.Running);
        gate.SetResult();
        await idle.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, work.Running);
    }
}
