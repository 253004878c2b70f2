using Kindling.Sandbox.Bubblewrap;

namespace Kindling.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class LifecycleTests(SandboxFixture fixture)
{
    [Fact]
    public async Task KillAsync_RunningSandboxWithChildren_LeavesNoProcess()
    {
        var spec = fixture.Shell("sleep 600 & sleep 600 & echo started; wait");
        await using var sandbox = await fixture.Launcher.LaunchAsync(spec, CancellationToken.None);
        await SandboxAssert.ReadsLineAsync(sandbox, "started");
        var cgroup = ((BubblewrapSandbox)sandbox).Cgroup;
        var pids = cgroup.ReadProcesses();
        Assert.Equal(4, pids.Count); // init, sh, two sleeps

        await sandbox.KillAsync();

        Assert.Equal(new SandboxExit(137, 9, false), await sandbox.Exited);
        Assert.Empty(cgroup.ReadProcesses());
        Assert.All(pids, pid => Assert.False(SandboxAssert.ProcessExists(pid), $"pid {pid} survived"));
    }

    [Fact]
    public async Task KillAsync_FrozenSandbox_LeavesNoProcess()
    {
        await using var sandbox = await fixture.Launcher.LaunchAsync(fixture.Shell("echo started; exec sleep 600"), CancellationToken.None);
        await SandboxAssert.ReadsLineAsync(sandbox, "started");
        await sandbox.FreezeAsync(CancellationToken.None);

        await sandbox.KillAsync();

        Assert.Equal(137, (await sandbox.Exited).ExitCode);
        Assert.False(SandboxAssert.ProcessExists(sandbox.Pid));
    }

    [Fact]
    public async Task DisposeAsync_RunningSandbox_RemovesCgroupsAndClosesListener()
    {
        var spec = fixture.Shell("echo started; exec sleep 600");
        var sandbox = await fixture.Launcher.LaunchAsync(spec, CancellationToken.None);
        await SandboxAssert.ReadsLineAsync(sandbox, "started");
        var directories = ((BubblewrapSandbox)sandbox).Cgroup.Directories;
        Assert.All(directories, d => Assert.True(Directory.Exists(d), d));
        var pid = sandbox.Pid;

        await sandbox.DisposeAsync();

        Assert.All(directories, d => Assert.False(Directory.Exists(d), d));
        Assert.False(SandboxAssert.ProcessExists(pid));
        Assert.Throws<ObjectDisposedException>(() => sandbox.RuntimeApiListener.Accept());
        SandboxAssert.NothingLeftFor(sandbox);
    }

    [Fact]
    public async Task DisposeAsync_ExitedSandbox_RemovesCgroups()
    {
        var spec = fixture.Shell("exit 0");
        var sandbox = await fixture.Launcher.LaunchAsync(spec, CancellationToken.None);
        Assert.Equal(0, (await sandbox.Exited.WaitAsync(SandboxAssert.Deadline)).ExitCode);

        await sandbox.DisposeAsync();
        await sandbox.DisposeAsync();

        SandboxAssert.NothingLeftFor(sandbox);
    }

    [Fact]
    public async Task FreezeAsync_AfterDispose_ThrowsObjectDisposedException()
    {
        var sandbox = await fixture.Launcher.LaunchAsync(fixture.Shell("exit 0"), CancellationToken.None);
        await sandbox.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => sandbox.FreezeAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task DisposeAsync_ReadPending_ReaderGetsEndOfStream()
    {
        var sandbox = await fixture.Launcher.LaunchAsync(fixture.Shell("echo started; exec sleep 600"), CancellationToken.None);
        await SandboxAssert.ReadsLineAsync(sandbox, "started");
        var pending = sandbox.Output.ReadAsync(new byte[16]).AsTask();

        await sandbox.DisposeAsync();

        Assert.Equal(0, await pending.WaitAsync(SandboxAssert.Deadline));
    }

    [Fact]
    public async Task DisposeAsync_OutputNeverRead_CompletesAndKeepsWhatWasBuffered()
    {
        var sandbox = await fixture.Launcher.LaunchAsync(
            fixture.Shell("head -c 1000000 /dev/zero | tr '\\0' x; exec sleep 600"), CancellationToken.None);
        var cgroup = ((BubblewrapSandbox)sandbox).Cgroup;
        // tr blocks once the 64 KiB in-process buffer and the 64 KiB kernel pipe are both full.
        Assert.True(await SandboxAssert.EventuallyAsync(() => BytesWrittenBy(cgroup, "tr") >= 124 * 1024));

        await sandbox.DisposeAsync();

        var remaining = await SandboxFixture.ReadToEndAsync(sandbox.Output, CancellationToken.None);
        Assert.InRange(remaining.Length, 64 * 1024, 128 * 1024);
        Assert.Equal(new string('x', remaining.Length), remaining);
    }

    private static long BytesWrittenBy(Kindling.Sandbox.Cgroups.ICgroup cgroup, string command)
    {
        foreach (var pid in cgroup.ReadProcesses())
        {
            if (File.ReadAllText($"/proc/{pid}/comm").Trim() == command)
            {
                var line = File.ReadAllLines($"/proc/{pid}/io").Single(l => l.StartsWith("wchar:", StringComparison.Ordinal));
                return long.Parse(line["wchar:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
