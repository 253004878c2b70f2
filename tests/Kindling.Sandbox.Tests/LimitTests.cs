using Kindling.Sandbox.Bubblewrap;

namespace Kindling.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class LimitTests(SandboxFixture fixture)
{
    private const long Mebibyte = 1024 * 1024;

    [Fact]
    public async Task Exited_MemoryOverLimit_ReportsOutOfMemory()
    {
        var spec = fixture.Shell("unused") with
        {
            Command = ["/usr/bin/python3", "-c", "b = b'x' * (200 << 20); print('survived')"],
            MemoryLimitBytes = 64 * Mebibyte,
        };

        var (exit, output) = await fixture.RunAsync(spec);

        Assert.Equal(new SandboxExit(137, 9, true), exit);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task MaxMemoryUsageBytes_AfterAllocation_ReportsThePeak()
    {
        var spec = fixture.Shell("unused") with
        {
            Command = ["/usr/bin/python3", "-c", "b = b'x' * (40 << 20); del b; print('done')"],
            MemoryLimitBytes = 128 * Mebibyte,
        };
        await using var sandbox = await fixture.Launcher.LaunchAsync(spec, CancellationToken.None);
        await SandboxAssert.ReadsLineAsync(sandbox, "done");

        var exit = await sandbox.Exited.WaitAsync(SandboxAssert.Deadline);

        Assert.Equal(new SandboxExit(0, null, false), exit);
        Assert.InRange(sandbox.MaxMemoryUsageBytes, 40 * Mebibyte, 128 * Mebibyte);
    }

    [Fact]
    public async Task MaxMemoryUsageBytes_ReadAgainWhileRunning_FollowsThePeak()
    {
        var spec = fixture.Shell("unused") with
        {
            Command = ["/usr/bin/python3", "-c", "import time; print('small', flush=True); time.sleep(2); b = b'x' * (40 << 20); print('large', flush=True); time.sleep(30)"],
            MemoryLimitBytes = 128 * Mebibyte,
        };
        await using var sandbox = await fixture.Launcher.LaunchAsync(spec, CancellationToken.None);
        await SandboxAssert.ReadsLineAsync(sandbox, "small");
        var before = sandbox.MaxMemoryUsageBytes;

        await SandboxAssert.ReadsLineAsync(sandbox, "large");

        Assert.InRange(before, 1, 30 * Mebibyte);
        Assert.InRange(sandbox.MaxMemoryUsageBytes, 40 * Mebibyte, 128 * Mebibyte);
    }

    [Fact]
    public async Task MaxMemoryUsageBytes_AcrossAFreeze_HoldsNoDescriptorWhileFrozen()
    {
        await using var sandbox = await fixture.Launcher.LaunchAsync(fixture.Shell("echo started; exec sleep 600"), CancellationToken.None);
        await SandboxAssert.ReadsLineAsync(sandbox, "started");
        var peak = sandbox.MaxMemoryUsageBytes;
        var held = PeakDescriptors(sandbox);

        await sandbox.FreezeAsync(CancellationToken.None);
        var frozen = PeakDescriptors(sandbox);
        await sandbox.ThawAsync(CancellationToken.None);

        Assert.Equal(1, held);
        Assert.Equal(0, frozen);
        Assert.InRange(sandbox.MaxMemoryUsageBytes, peak, 128 * Mebibyte);
        Assert.Equal(1, PeakDescriptors(sandbox));
    }

    /// <summary>This process's descriptors open on the sandbox's peak-memory file.</summary>
    private static int PeakDescriptors(ISandbox sandbox)
    {
        var group = ((BubblewrapSandbox)sandbox).Cgroup.Directories;
        return new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Select(fd => fd.LinkTarget)
            .Count(target => target is not null && group.Any(d => target.StartsWith(d + "/memory.", StringComparison.Ordinal))
                && (target.EndsWith("/memory.max_usage_in_bytes", StringComparison.Ordinal) || target.EndsWith("/memory.peak", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task LaunchAsync_ForkBomb_StopsAtPidsLimit()
    {
        // Children block reading a pipe nobody writes, then the parent reports how many forks it got.
        var script = "import os\n"
            + "r, w = os.pipe()\n"
            + "n = 0\n"
            + "while True:\n"
            + "    try:\n"
            + "        pid = os.fork()\n"
            + "    except OSError as e:\n"
            + "        print(n, e.errno)\n"
            + "        break\n"
            + "    if pid == 0:\n"
            + "        os.read(r, 1)\n"
            + "        os._exit(0)\n"
            + "    n += 1\n";
        var spec = fixture.Shell("unused") with { Command = ["/usr/bin/python3", "-c", script], PidsLimit = 32 };

        var (exit, output) = await fixture.RunAsync(spec);

        Assert.Equal(0, exit.ExitCode);
        // 32 tasks = bubblewrap's init + python + 30 children; the 31st fork fails with EAGAIN.
        Assert.Equal("30 11\n", output);
    }

    [Fact]
    public async Task LaunchAsync_QuarterCpu_UsesAboutAQuarterOfACpu()
    {
        var spec = fixture.Shell("echo spinning; while :; do :; done") with { CpuCount = 0.25 };
        await using var sandbox = await fixture.Launcher.LaunchAsync(spec, CancellationToken.None);
        await SandboxAssert.ReadsLineAsync(sandbox, "spinning");
        var cgroup = ((BubblewrapSandbox)sandbox).Cgroup;
        var startCpu = cgroup.CpuUsage;
        var startWall = DateTime.UtcNow;

        Assert.True(await SandboxAssert.EventuallyAsync(() => cgroup.CpuUsage - startCpu >= TimeSpan.FromMilliseconds(500)));

        var share = (cgroup.CpuUsage - startCpu) / (DateTime.UtcNow - startWall);
        Assert.InRange(share, 0.15, 0.35);
    }

    [Fact]
    public async Task SetCpuLimit_BoostedStart_QuotaFollows()
    {
        var spec = fixture.Shell("echo spinning; while :; do :; done") with { CpuCount = 0.25, InitialCpuCount = 1.5 };
        await using var sandbox = await fixture.Launcher.LaunchAsync(spec, CancellationToken.None);
        await SandboxAssert.ReadsLineAsync(sandbox, "spinning");
        var cgroup = ((BubblewrapSandbox)sandbox).Cgroup;

        Assert.Equal(150_000, Quota(cgroup));

        sandbox.SetCpuLimit(0.25);

        Assert.Equal(25_000, Quota(cgroup));
        var startCpu = cgroup.CpuUsage;
        var startWall = DateTime.UtcNow;
        Assert.True(await SandboxAssert.EventuallyAsync(() => cgroup.CpuUsage - startCpu >= TimeSpan.FromMilliseconds(500)));
        Assert.InRange((cgroup.CpuUsage - startCpu) / (DateTime.UtcNow - startWall), 0.15, 0.35);
    }

    private static long Quota(Kindling.Sandbox.Cgroups.ICgroup cgroup)
    {
        foreach (var directory in cgroup.Directories)
        {
            if (File.Exists(Path.Combine(directory, "cpu.cfs_quota_us")))
            {
                return long.Parse(File.ReadAllText(Path.Combine(directory, "cpu.cfs_quota_us")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }

            if (File.Exists(Path.Combine(directory, "cpu.max")))
            {
                return long.Parse(File.ReadAllText(Path.Combine(directory, "cpu.max")).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("no CPU controller file");
    }

    [Fact]
    public async Task FreezeAsync_BusyLoop_StopsUsingCpuUntilThawed()
    {
        await using var sandbox = await fixture.Launcher.LaunchAsync(fixture.Shell("echo spinning; while :; do :; done"), CancellationToken.None);
        await SandboxAssert.ReadsLineAsync(sandbox, "spinning");
        var cgroup = ((BubblewrapSandbox)sandbox).Cgroup;
        Assert.True(await SandboxAssert.EventuallyAsync(() => cgroup.CpuUsage > TimeSpan.FromMilliseconds(50)));

        await sandbox.FreezeAsync(CancellationToken.None);
        var frozenAt = cgroup.CpuUsage;
        // A witness spinning beside it proves CPU time was there to take while the sandbox stayed frozen.
        await using (var witness = await fixture.Launcher.LaunchAsync(fixture.Shell("echo spinning; while :; do :; done"), CancellationToken.None))
        {
            await SandboxAssert.ReadsLineAsync(witness, "spinning");
            var witnessGroup = ((BubblewrapSandbox)witness).Cgroup;
            Assert.True(await SandboxAssert.EventuallyAsync(() => witnessGroup.CpuUsage >= TimeSpan.FromMilliseconds(300)));
        }

        Assert.Equal(frozenAt, cgroup.CpuUsage);

        await sandbox.ThawAsync(CancellationToken.None);

        Assert.True(await SandboxAssert.EventuallyAsync(() => cgroup.CpuUsage >= frozenAt + TimeSpan.FromMilliseconds(100)));
    }
}
