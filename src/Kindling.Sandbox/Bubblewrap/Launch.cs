using System.Net.Sockets;
using Kindling.Sandbox.Cgroups;
using Kindling.Sandbox.Interop;
using Kindling.Sandbox.Storage;

namespace Kindling.Sandbox.Bubblewrap;

/// <summary>What a launch in progress has set up so far, so that a failure at any step undoes exactly that.</summary>
internal sealed class Launch(SandboxSpec spec)
{
    /// <summary>The write end of bubblewrap's block pipe: the command starts when a byte (or end of file) arrives.</summary>
    public int BlockWrite = -1;

    /// <summary>
    /// The write end of a pre-started sandbox's start pipe (its shell's stdin), or -1: the launch's command waits for
    /// its script there.
    /// </summary>
    public int StartWrite = -1;

    private bool _handedOver;

    public SandboxSpec Spec { get; } = spec;

    /// <summary>Whether the command is a pre-started sandbox's waiting shell (its stdin is the start pipe).</summary>
    public bool Waits { get; init; }

    /// <summary>When each step of the launch ended, for the debug log.</summary>
    public StepTimeline Timeline { get; } = new();

    public ITmpVolume? Volume { get; set; }

    public ICgroup? Cgroup { get; set; }

    public Stream? Output { get; set; }

    public TextReader? Status { get; set; }

    public int BubblewrapPid { get; set; }

    public int ChildPid { get; set; }

    public Socket? Listener { get; set; }

    /// <summary>The sandbox owns everything now.</summary>
    public void Handover() => _handedOver = true;

    /// <summary>SIGKILLs bubblewrap (its child follows: --die-with-parent). Safe to repeat: it is not reaped yet.</summary>
    public void Kill()
    {
        if (BubblewrapPid > 0)
        {
            _ = Libc.kill(BubblewrapPid, Libc.SigKill);
        }
    }

    /// <summary>Undoes the launch; best effort, never throws.</summary>
    public async ValueTask AbortAsync()
    {
        if (_handedOver)
        {
            return;
        }

        // Kill before closing the block pipe: end of file on it would let the command start.
        Kill();
        if (Cgroup is not null)
        {
            await Quietly(() => Cgroup.KillAllAsync(CancellationToken.None));
        }

        Libc.CloseQuietly(ref BlockWrite);
        Libc.CloseQuietly(ref StartWrite);
        if (BubblewrapPid > 0)
        {
            Libc.WaitForExit(BubblewrapPid);
        }

        Listener?.Dispose();
        if (Output is not null)
        {
            await Output.DisposeAsync();
        }

        Status?.Dispose();
        if (Cgroup is not null)
        {
            await Quietly(() => Cgroup.RemoveAsync(CancellationToken.None));
        }

        if (Volume is not null)
        {
            await Quietly(() =>
            {
                Volume.Dispose();
                return ValueTask.CompletedTask;
            });
        }
    }

    private static async ValueTask Quietly(Func<ValueTask> action)
    {
        try
        {
            await action();
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
