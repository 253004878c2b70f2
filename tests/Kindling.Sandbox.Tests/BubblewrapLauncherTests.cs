namespace Kindling.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class BubblewrapLauncherTests(SandboxFixture fixture)
{
    [Fact]
    public async Task LaunchAsync_Echo_RunsCommandAndReportsExitCode()
    {
        var (exit, output) = await fixture.RunAsync(fixture.Shell("echo hello; echo oops >&2; exit 3"));

        Assert.Equal("hello\noops\n", output);
        Assert.Equal(new SandboxExit(3, null, false), exit);
    }

    [Fact]
    public async Task LaunchAsync_Environment_IsTheGivenOnePlusPwd()
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:9001",
            ["TZ"] = ":UTC",
            ["WITH_SPACES"] = "two words = fine",
            ["EMPTY"] = "",
        };
        var spec = fixture.Shell("unused") with { Command = ["/usr/bin/env"], Environment = environment };

        var (exit, output) = await fixture.RunAsync(spec);

        Assert.Equal(0, exit.ExitCode);
        // bubblewrap always sets PWD to the working directory, after the environment is applied.
        var expected = environment.Select(p => p.Key + "=" + p.Value).Append("PWD=/var/task").Order(StringComparer.Ordinal);
        Assert.Equal(expected, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task LaunchAsync_Process_IsUnprivilegedInTaskDirectory()
    {
        var (exit, output) = await fixture.RunAsync(fixture.Shell(
            "pwd; id -u; id -g; id -un; grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status; hostname"));

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(
            "/var/task\n993\n990\nsbx_user1051\nCapEff:\t0000000000000000\nCapBnd:\t0000000000000000\nNoNewPrivs:\t1\nSeccomp:\t2\nlocalhost\n",
            output);
    }

    [Fact]
    public async Task LaunchAsync_HostProcess_RunsAsUnprivilegedHostUser()
    {
        await using var sandbox = await fixture.Launcher.LaunchAsync(fixture.Shell("echo up; exec sleep 60"), CancellationToken.None);
        await SandboxAssert.ReadsLineAsync(sandbox, "up");

        var status = File.ReadAllLines($"/proc/{sandbox.Pid}/status");
        string Line(string name) => status.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        Assert.Equal("Uid:\t400993\t400993\t400993\t400993", Line("Uid"));
        Assert.Equal("Gid:\t400990\t400990\t400990\t400990", Line("Gid"));
        Assert.Equal("Groups:", Line("Groups").TrimEnd());
        // Host-side capabilities of the sandbox's init (bubblewrap's child, unprivileged outside its namespace).
        Assert.Equal("CapAmb:\t0000000000000000", Line("CapAmb"));
    }

    [Fact]
    public async Task LaunchAsync_AfterLaunches_WorkerThreadsKeepRoot()
    {
        // The launcher's thread switches to the sandboxes' host user around each spawn and back: the listener it
        // makes next (setns needs CAP_SYS_ADMIN) and a later launch work only if it did.
        for (var i = 0; i < 3; i++)
        {
            var (exit, output) = await fixture.RunAsync(fixture.Shell("echo ok"));
            Assert.Equal(0, exit.ExitCode);
            Assert.Equal("ok\n", output);
        }

        var threads = Directory.GetDirectories($"/proc/{Environment.ProcessId}/task");
        var unprivileged = threads.Where(t =>
        {
            try
            {
                return File.ReadAllLines(Path.Combine(t, "status")).Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)) != "Uid:\t0\t0\t0\t0";
            }
            catch (IOException)
            {
                return false; // the thread ended
            }
        });
        Assert.Empty(unprivileged);
    }

    [Fact]
    public async Task LaunchAsync_TaskDirectory_IsReadOnly()
    {
        var (exit, output) = await fixture.RunAsync(fixture.Shell(
            "cat /var/task/hello.txt; touch /var/task/new 2>&1; echo rc=$?; touch /new 2>&1; echo rc=$?"));

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(
            "hello from the task\ntouch: cannot touch '/var/task/new': Read-only file system\nrc=1\n"
            + "touch: cannot touch '/new': Read-only file system\nrc=1\n",
            output);
    }

    [Fact]
    public async Task LaunchAsync_HostFilesOutsideBinds_AreInvisible()
    {
        var (exit, output) = await fixture.RunAsync(fixture.Shell(
            $"for p in /root /work /home /var/lib /sys /run /etc/shadow /etc/hostname {fixture.Root}; do "
            + "if [ -e \"$p\" ]; then echo \"$p visible\"; else echo \"$p absent\"; fi; done; ls /etc; ls /var"));

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(
            "/root absent\n/work absent\n/home absent\n/var/lib absent\n/sys absent\n/run absent\n/etc/shadow absent\n"
            + $"/etc/hostname absent\n{fixture.Root} absent\n"
            + "ca-certificates\nca-certificates.conf\ngroup\nhosts\nld.so.cache\nlocaltime\nnsswitch.conf\npasswd\nssl\ntask\n",
            output);
    }

    [Fact]
    public async Task LaunchAsync_ProcessTable_ShowsOnlyTheSandbox()
    {
        var (exit, output) = await fixture.RunAsync(fixture.Shell("ls /proc | grep -E '^[0-9]+$' | sort -n | tr '\\n' ' '"));

        Assert.Equal(0, exit.ExitCode);
        // 1 = bubblewrap's init, 2 = sh, then ls, grep, sort, tr.
        Assert.StartsWith("1 2 ", output, StringComparison.Ordinal);
        Assert.True(output.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) < 10), output);
    }

    [Fact]
    public async Task LaunchAsync_InvalidId_ThrowsArgumentException()
    {
        var spec = fixture.Shell("true") with { Id = "../escape" };

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Launcher.LaunchAsync(spec, CancellationToken.None).AsTask());

        Assert.Equal("Sandbox id '../escape' must be 1–64 letters, digits, '.', '_' or '-'. (Parameter 'spec')", exception.Message);
    }

    [Fact]
    public async Task LaunchAsync_MissingTaskDirectory_ThrowsArgumentException()
    {
        var spec = fixture.Shell("true") with { TaskDirectory = "/nonexistent/task" };

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Launcher.LaunchAsync(spec, CancellationToken.None).AsTask());

        Assert.Equal("TaskDirectory '/nonexistent/task' must be an existing absolute directory. (Parameter 'TaskDirectory')", exception.Message);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/usr/../root")]
    [InlineData("usr/lib")]
    public async Task LaunchAsync_UnsafeExtraPath_ThrowsArgumentException(string path)
    {
        var spec = fixture.Shell("true") with { ExtraReadOnlyPaths = [path] };

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Launcher.LaunchAsync(spec, CancellationToken.None).AsTask());

        Assert.Equal(
            $"Extra read-only path '{path}' must be an existing, normalized absolute path other than /. (Parameter 'spec')",
            exception.Message);
    }

    [Fact]
    public async Task LaunchAsync_ExtraPathUnderTmp_ThrowsArgumentException()
    {
        var spec = fixture.Shell("true") with { ExtraReadOnlyPaths = ["/tmp"] };

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Launcher.LaunchAsync(spec, CancellationToken.None).AsTask());

        Assert.Equal(
            "Extra read-only path '/tmp' lies under a sandbox mount (/tmp, /proc, /dev, /var/task, /opt, /var/runtime, /etc). (Parameter 'spec')",
            exception.Message);
    }

    [Fact]
    public async Task LaunchAsync_BindSourceHiddenFromHostUser_ReportsBubblewrapsError()
    {
        var hidden = Path.Combine(fixture.Root, "private");
        var inner = Path.Combine(hidden, "inner");
        Directory.CreateDirectory(inner);
        File.SetUnixFileMode(hidden, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var spec = fixture.Shell("echo ran") with { ExtraReadOnlyPaths = [inner] };
        var expected = $"bwrap: Can't find source path {inner}: Permission denied";

        // bubblewrap checks bind sources in its child, racing the launch: the error arrives either as a failed
        // launch or as the sandbox's only output before it exits with 1.
        try
        {
            var (exit, output) = await fixture.RunAsync(spec);
            Assert.Equal(expected + "\n", output);
            Assert.Equal(1, exit.ExitCode);
        }
        catch (SandboxLaunchException exception)
        {
            Assert.EndsWith(expected, exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DisposeAsync_CommandNotFound_LeavesNoCgroupOrVolume()
    {
        var spec = fixture.Shell("true") with { Command = ["/nonexistent/bootstrap"] };

        var run = await fixture.RunAsync(spec);

        Assert.Equal(1, run.Exit.ExitCode);
        Assert.Equal("bwrap: execvp /nonexistent/bootstrap: No such file or directory\n", run.Output);
        SandboxAssert.NothingLeftFor(run.Sandbox);
    }
}
