using System.Globalization;
using Kindling.Sandbox.Bubblewrap;
using Kindling.Sandbox.Storage;

namespace Kindling.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class TmpStorageTests(SandboxFixture fixture)
{
    private const long Mebibyte = 1024 * 1024;

    [Fact]
    public async Task LaunchAsync_TmpWriteBeyondSize_FailsWithNoSpace()
    {
        var spec = fixture.Shell(
            "dd if=/dev/zero of=/tmp/fill bs=1M count=24 2>&1 | head -1; stat -c %s /tmp/fill; stat -c '%U %a' /tmp")
            with { TmpSizeBytes = 16 * Mebibyte };

        var (exit, output) = await fixture.RunAsync(spec);

        Assert.Equal(0, exit.ExitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("dd: error writing '/tmp/fill': No space left on device", lines[0]);
        // The file system offers at least the requested size, and only a little more (its sizing rounds up).
        var written = long.Parse(lines[1], CultureInfo.InvariantCulture);
        Assert.InRange(written, 16 * Mebibyte, 17 * Mebibyte);
        Assert.Equal("sbx_user1051 1777", lines[2]);
    }

    [Fact]
    public async Task LaunchAsync_TwoSandboxes_DoNotShareTmp()
    {
        await using var first = await fixture.Launcher.LaunchAsync(
            fixture.Shell("echo secret > /tmp/secret && echo written; exec sleep 60"), CancellationToken.None);
        await SandboxAssert.ReadsLineAsync(first, "written");

        var (exit, output) = await fixture.RunAsync(fixture.Shell("ls -A /tmp; cat /tmp/secret 2>&1"));

        Assert.Equal(1, exit.ExitCode);
        Assert.Equal("cat: /tmp/secret: No such file or directory\n", output);
    }

    [Fact]
    public async Task LaunchAsync_TmpFilledBeyondMemoryLimit_IsNotOomKilled()
    {
        // 96 MiB through /tmp with a 48 MiB memory limit: tmpfs pages would be unreclaimable function memory
        // (OOM kill); ext4 page cache is written back and reclaimed instead.
        var spec = fixture.Shell("dd if=/dev/zero of=/tmp/big bs=1M count=96 2>/dev/null; sync; stat -c %s /tmp/big")
            with { MemoryLimitBytes = 48 * Mebibyte, TmpSizeBytes = 128 * Mebibyte };

        var (exit, output) = await fixture.RunAsync(spec);

        Assert.Equal(new SandboxExit(0, null, false), exit);
        Assert.Equal((96 * Mebibyte).ToString(CultureInfo.InvariantCulture) + "\n", output);
    }

    [Fact]
    public async Task LaunchAsync_RunningSandbox_TmpIsOffTheHostMountTable()
    {
        // Each launch copies the host's mount table and bubblewrap reads it for every bind: a sandbox's /tmp lives
        // only in its own mount namespace once the sandbox exists.
        var spec = fixture.Shell("echo data > /tmp/file; cat /tmp/file; sed -n 's|.* /tmp .* - ext4 \\([^ ]*\\) .*|\\1|p' /proc/self/mountinfo; exec sleep 60");
        var sandbox = await fixture.Launcher.LaunchAsync(spec, CancellationToken.None);
        await using (sandbox)
        {
            await SandboxAssert.ReadsLineAsync(sandbox, "data");
            var device = await SandboxAssert.ReadLineAsync(sandbox);
            Assert.StartsWith("/dev/loop", device, StringComparison.Ordinal);
            var volume = (LoopTmpVolume)((BubblewrapSandbox)sandbox).TmpVolume;
            Assert.DoesNotContain(" " + volume.HostDirectory + " ", File.ReadAllText("/proc/self/mounts"), StringComparison.Ordinal);
            Assert.DoesNotContain(device + " ", File.ReadAllText("/proc/self/mounts"), StringComparison.Ordinal);
            Assert.True(File.Exists($"/sys/block/{device[5..]}/loop/backing_file"));

            await sandbox.DisposeAsync();

            SandboxAssert.NothingLeftFor(sandbox);
            // The loop device clears itself once the sandbox's mount namespace, the last holder, is gone.
            Assert.True(await SandboxAssert.EventuallyAsync(() => !IsBacking(device, volume.ImagePath)), device + " still backs " + volume.ImagePath);
        }
    }

    private static bool IsBacking(string device, string image)
    {
        var backing = $"/sys/block/{device[5..]}/loop/backing_file";
        try
        {
            return File.ReadAllText(backing).Trim().StartsWith(image, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
