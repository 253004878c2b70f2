namespace Kindling.Invocation.Tests.TestSupport;

/// <summary>A timer driven by <see cref="FakeTimeProvider.Advance"/>.</summary>
internal sealed class FakeTimer(FakeTimeProvider time, TimerCallback callback, object? state) : ITimer
{
    public DateTimeOffset? Due { get; set; }

    public TimeSpan Period { get; set; }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        time.Schedule(this, dueTime, period);
        return true;
    }

    public void Fire() => callback(state);

    public void Dispose() => time.Remove(this);

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
