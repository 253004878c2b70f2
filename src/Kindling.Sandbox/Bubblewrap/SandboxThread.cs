namespace Kindling.Sandbox.Bubblewrap;

/// <summary>
/// A long-lived thread of the launcher. bubblewrap's <c>--die-with-parent</c> is tied to the spawning
/// <em>thread</em> (a pool thread may exit and take the sandbox with it), and entering a sandbox's network
/// namespace with setns changes only the calling thread: both happen here, never on a pool thread. Work items
/// are short (spawn ≈ 0.5 ms, listener ≈ 25 µs, on a quiet host). When the thread ends (the launcher is disposed), every
/// sandbox it spawned is killed by the kernel. The launcher keeps a second one for work that blocks in the kernel
/// for milliseconds (priming the cgroup attach), which would otherwise hold one of the few pool threads.
/// Work that finishes a launch under way (its listener) goes before work that starts another (a spawn): in a
/// burst of hundreds of launches, first-in-first-out had every listener wait behind every spawn, so no
/// sandbox could start its process until the last bubblewrap had been spawned.
/// </summary>
internal sealed class SandboxThread : IDisposable
{
    private readonly object _gate = new();
    private readonly Queue<Action> _urgent = new();
    private readonly Queue<Action> _work = new();
    private readonly Thread _thread;
    private bool _completed;

    /// <param name="name">The thread's name (for debuggers and /proc).</param>
    public SandboxThread(string name = "kindling-sandbox")
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="function"/> on the thread.</summary>
    /// <param name="function">The work.</param>
    /// <param name="urgent">Whether it goes before every queued work item that is not urgent.</param>
    public Task<T> InvokeAsync<T>(Func<T> function, bool urgent = false)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Item()
        {
            try
            {
                completion.SetResult(function());
            }
            catch (Exception exception)
            {
                completion.SetException(exception);
            }
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_completed, typeof(BubblewrapLauncher));
            (urgent ? _urgent : _work).Enqueue(Item);
            Monitor.Pulse(_gate);
        }

        return completion.Task;
    }

    /// <summary>Ends the thread after the queued work; sandboxes it spawned die with it.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.Pulse(_gate);
        }

        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
    }

    private void Run()
    {
        while (true)
        {
            Action item;
            lock (_gate)
            {
                while (_urgent.Count == 0 && _work.Count == 0 && !_completed)
                {
                    Monitor.Wait(_gate);
                }

                if (!_urgent.TryDequeue(out item!) && !_work.TryDequeue(out item!))
                {
                    return;
                }
            }

            item();
        }
    }
}
