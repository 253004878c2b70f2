using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Kindling.Sandbox.Bubblewrap;

namespace Kindling.Sandbox.Tests;

/// <summary>Launchers configured otherwise than the shared one.</summary>
[Collection(SandboxCollection.Name)]
public sealed class LauncherOptionsTests(SandboxFixture fixture)
{
    private const long Mebibyte = 1024 * 1024;

    [Fact]
    public async Task LaunchAsync_TmpfsStorage_FailsPastSizeAndRaisesMemoryLimit()
    {
        await using var launcher = new BubblewrapLauncher(fixture.Options with
        {
            StateDirectory = Path.Combine(fixture.Root, "state-tmpfs"),
            TmpStorage = TmpStorageKind.Tmpfs,
        });
        var spec = fixture.Shell("dd if=/dev/zero of=/tmp/fill bs=1M count=24 2>&1 | head -1; stat -c %s /tmp/fill")
            with { Id = fixture.NextId(), MemoryLimitBytes = 48 * Mebibyte, TmpSizeBytes = 16 * Mebibyte };

        await using var sandbox = await launcher.LaunchAsync(spec, CancellationToken.None);
        var output = await SandboxFixture.ReadToEndAsync(sandbox.Output, CancellationToken.None);

        Assert.Equal(0, (await sandbox.Exited).ExitCode);
        Assert.Equal($"dd: error writing '/tmp/fill': No space left on device\n{16 * Mebibyte}\n", output);
        var memory = ((BubblewrapSandbox)sandbox).Cgroup.Directories.Single(d => d.Contains("/memory/", StringComparison.Ordinal));
        Assert.Equal((64 * Mebibyte).ToString(CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(memory, "memory.limit_in_bytes")).Trim());
    }

    [Fact]
    public async Task LaunchAsync_HostUserIdNull_RunsAsWorkersUserWithoutCapabilities()
    {
        await using var launcher = new BubblewrapLauncher(fixture.Options with
        {
            StateDirectory = Path.Combine(fixture.Root, "state-root"),
            HostUserId = null,
            HostGroupId = null,
            TmpVolumePoolSize = 0,
        });
        var spec = fixture.Shell("echo data > /tmp/file && id -u && grep CapEff /proc/self/status && echo up; exec sleep 60")
            with { Id = fixture.NextId() };

        await using var sandbox = await launcher.LaunchAsync(spec, CancellationToken.None);

        await SandboxAssert.ReadsLineAsync(sandbox, "993");
        await SandboxAssert.ReadsLineAsync(sandbox, "CapEff:\t0000000000000000");
        await SandboxAssert.ReadsLineAsync(sandbox, "up");
        var uid = File.ReadAllLines($"/proc/{sandbox.Pid}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        Assert.Equal("Uid:\t0\t0\t0\t0", uid);
    }

    [Fact]
    public async Task LaunchAsync_AllowNetwork_SharesHostNetworkAndLoopback()
    {
        using var hostListener = new TcpListener(IPAddress.Loopback, 0);
        hostListener.Start();
        var hostPort = ((IPEndPoint)hostListener.LocalEndpoint).Port;
        int runtimePort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            runtimePort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var script = "import socket\n"
            + $"socket.create_connection(('127.0.0.1', {hostPort.ToString(CultureInfo.InvariantCulture)}), timeout=10).close()\n"
            + $"s = socket.create_connection(('127.0.0.1', {runtimePort.ToString(CultureInfo.InvariantCulture)}), timeout=10)\n"
            + "print(s.makefile().readline(), end='')\n";
        var spec = fixture.Shell("unused") with
        {
            Command = ["/usr/bin/python3", "-c", script],
            AllowNetwork = true,
            RuntimeApiPort = runtimePort,
        };
        await using var sandbox = await fixture.Launcher.LaunchAsync(spec, CancellationToken.None);
        using var timeout = new CancellationTokenSource(SandboxAssert.Deadline);

        using (await hostListener.AcceptSocketAsync(timeout.Token))
        using (var runtime = await sandbox.RuntimeApiListener.AcceptAsync(timeout.Token))
        {
            await runtime.SendAsync("hello\n"u8.ToArray(), timeout.Token);
        }

        Assert.Equal("hello\n", await SandboxFixture.ReadToEndAsync(sandbox.Output, timeout.Token));
        Assert.Equal(0, (await sandbox.Exited).ExitCode);
    }

    [Fact]
    public async Task DisposeAsync_Launcher_KillsItsRunningAndFrozenSandboxes()
    {
        var launcher = new BubblewrapLauncher(fixture.Options with { StateDirectory = Path.Combine(fixture.Root, "state-dispose") });
        var running = await launcher.LaunchAsync(fixture.Shell("echo up; exec sleep 600") with { Id = fixture.NextId() }, CancellationToken.None);
        var frozen = await launcher.LaunchAsync(fixture.Shell("echo up; exec sleep 600") with { Id = fixture.NextId() }, CancellationToken.None);
        await SandboxAssert.ReadsLineAsync(running, "up");
        await SandboxAssert.ReadsLineAsync(frozen, "up");
        await frozen.FreezeAsync(CancellationToken.None);

        await launcher.DisposeAsync();

        Assert.Equal(137, (await running.Exited).ExitCode);
        Assert.Equal(137, (await frozen.Exited).ExitCode);
        SandboxAssert.NothingLeftFor(running);
        SandboxAssert.NothingLeftFor(frozen);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => launcher.LaunchAsync(fixture.Shell("true"), CancellationToken.None).AsTask());
    }
}
