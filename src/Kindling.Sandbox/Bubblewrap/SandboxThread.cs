using System.Collections.Concurrent;

namespace Kindling.Sandbox.Bubblewrap;

/// <summary>
/// A long-lived thread of the launcher. bubblewrap's <c>--die-with-parent</c> is tied to the spawning
/// <em>thread</em> (a pool thread may exit and take the sandbox with it), and entering a sandbox's network
/// namespace with setns changes only the calling thread: both happen here, never on a pool thread. Work items
/// are short (spawn ≈ 0.5 ms, listener ≈ 25 µs). When the thread ends (the launcher is disposed), every
/// sandbox it spawned is killed by the kernel. The launcher keeps a second one for work that blocks in the kernel
/// for milliseconds (priming the cgroup attach), which would otherwise hold one of the few pool threads.
/// </summary>
internal sealed class SandboxThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    /// <param name="name">The thread's name (for debuggers and /proc).</param>
    public SandboxThread(string name = "kindling-sandbox")
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="function"/> on the thread.</summary>
    public Task<T> InvokeAsync<T>(Func<T> function)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _work.Add(() =>
            {
                try
                {
                    completion.SetResult(function());
                }
                catch (Exception exception)
                {
                    completion.SetException(exception);
                }
            });
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(BubblewrapLauncher));
        }

        return completion.Task;
    }

    /// <summary>Ends the thread after the queued work; sandboxes it spawned die with it.</summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _work.Dispose();
    }

    private void Run()
    {
        foreach (var item in _work.GetConsumingEnumerable())
        {
            item();
        }
    }
}
