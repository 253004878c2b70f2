namespace Kindling.Invocation.Workers;

/// <summary>
/// The worker manager's own background operations (cold starts, freezes, shutdowns): started off the caller's
/// path, counted, and drained at shutdown, so none is fire-and-forget.
/// </summary>
internal sealed class BackgroundWork
{
    private readonly Lock _gate = new();
    private int _running;
    private TaskCompletionSource? _idle;

    public int Running => Volatile.Read(ref _running);

    /// <summary>
    /// Runs <paramref name="work"/> on the thread pool; it must handle and log its own failures. Counted from
    /// this call, so callers register work under the lock that hands it out: a drain cannot miss it.
    /// </summary>
    public Task Run<TState>(Func<TState, Task> work, TState state)
    {
        Register(1);
        return Start(work, state, inline: false);
    }

    /// <summary>Counts <paramref name="count"/> operations the caller starts with <see cref="Start"/> once it has let its lock go.</summary>
    public void Register(int count) => Interlocked.Add(ref _running, count);

    /// <summary>
    /// Starts an operation counted by <see cref="Register"/>: on the thread pool, or <paramref name="inline"/> on this
    /// thread up to its first wait (never under a lock: the operation takes locks of its own).
    /// </summary>
    public Task Start<TState>(Func<TState, Task> work, TState state, bool inline) => RunAsync(work, state, inline);

    /// <summary>Completes when no operation is running.</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            return Volatile.Read(ref _running) == 0
                ? Task.CompletedTask
                : (_idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    private async Task RunAsync<TState>(Func<TState, Task> work, TState state, bool inline)
    {
        try
        {
            if (!inline)
            {
                // Off the caller's path: an invocation's result is returned before its environment is frozen.
                await Task.Yield();
            }

            await work(state);
        }
        catch (Exception)
        {
            // The operations log their own failures; nothing may escape unobserved.
        }
        finally
        {
            if (Interlocked.Decrement(ref _running) == 0)
            {
                lock (_gate)
                {
                    // Work registered since the decrement signals when it ends, not this.
                    if (Volatile.Read(ref _running) == 0)
                    {
                        _idle?.TrySetResult();
                        _idle = null;
                    }
                }
            }
        }
    }
}
