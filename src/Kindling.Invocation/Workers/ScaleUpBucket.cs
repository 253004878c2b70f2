namespace Kindling.Invocation.Workers;

/// <summary>
/// The on-demand scaling rate of one function: a token bucket of <c>capacity</c> new environments, refilled
/// continuously at <c>capacity</c> per <see cref="Window"/> and never above <c>capacity</c> (unused rate does not
/// accumulate), as Lambda describes its "best attempt to refill continuously". Guarded by the manager's lock.
/// </summary>
internal sealed class ScaleUpBucket(int capacity, long now)
{
    /// <summary>The period over which <c>capacity</c> environments may be added.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private double _tokens = capacity;
    private long _refilledAt = now;

    /// <summary>Takes one new environment from the rate; false when the rate is used up.</summary>
    public bool TryTake(TimeProvider time, long now)
    {
        Refill(time, now);
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }

    /// <summary>True once the bucket has refilled completely (it can then be forgotten: a new one is the same).</summary>
    public bool IsFull(TimeProvider time, long now)
    {
        Refill(time, now);
        return _tokens >= capacity;
    }

    private void Refill(TimeProvider time, long now)
    {
        var elapsed = time.GetElapsedTime(_refilledAt, now);
        if (elapsed <= TimeSpan.Zero)
        {
            return;
        }

        _tokens = Math.Min(capacity, _tokens + (capacity * elapsed.TotalSeconds / Window.TotalSeconds));
        _refilledAt = now;
    }
}
