namespace Kindling.Queues.Engine;

/// <summary>
/// Wakes long-polling receivers of one queue. A receiver takes <see cref="Current"/> before it looks for
/// messages, so a send that commits after the look still completes the task it waits on.
/// </summary>
internal sealed class QueueSignal
{
    private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Current => Volatile.Read(ref _current).Task;

    public void Pulse()
    {
        var previous = Interlocked.Exchange(ref _current, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }
}
