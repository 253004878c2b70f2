using System.Text;
using Kindling.Sandbox.Bubblewrap;
using Kindling.Sandbox.Storage;

namespace Kindling.Sandbox.Tests;

/// <summary>Assertions and waits shared by the sandbox tests (waits are on events or conditions with deadlines).</summary>
internal static class SandboxAssert
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Reads one line from the sandbox's output and checks it.</summary>
    public static async Task ReadsLineAsync(ISandbox sandbox, string expected) =>
        Assert.Equal(expected, await ReadLineAsync(sandbox));

    /// <summary>Reads one line from the sandbox's output.</summary>
    public static async Task<string> ReadLineAsync(ISandbox sandbox)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        var line = new StringBuilder();
        var buffer = new byte[1];
        while (true)
        {
            var read = await sandbox.Output.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, $"Output ended before a line; got '{line}'.");
            if (buffer[0] == '\n')
            {
                return line.ToString();
            }

            line.Append((char)buffer[0]);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan? deadline = null)
    {
        var end = DateTime.UtcNow + (deadline ?? Deadline);
        while (!condition())
        {
            if (DateTime.UtcNow > end)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    /// <summary>No control group directory, /tmp mount or image remains for a disposed sandbox.</summary>
    public static void NothingLeftFor(ISandbox sandbox)
    {
        var bubblewrap = (BubblewrapSandbox)sandbox;
        foreach (var hierarchy in new[] { "memory", "cpu", "cpuacct", "pids", "freezer" })
        {
            var matches = Directory.EnumerateDirectories("/sys/fs/cgroup/" + hierarchy, sandbox.Id, SearchOption.AllDirectories).ToList();
            Assert.Empty(matches);
        }

        Assert.All(bubblewrap.Cgroup.Directories, d => Assert.False(Directory.Exists(d), d));
        var volume = (LoopTmpVolume)bubblewrap.TmpVolume;
        Assert.False(Directory.Exists(volume.HostDirectory));
        Assert.False(File.Exists(volume.ImagePath));
        Assert.DoesNotContain(" " + volume.HostDirectory + " ", File.ReadAllText("/proc/self/mounts"), StringComparison.Ordinal);
    }

    /// <summary>Whether host process <paramref name="pid"/> exists (zombies included).</summary>
    public static bool ProcessExists(int pid) => Directory.Exists("/proc/" + pid);
}
