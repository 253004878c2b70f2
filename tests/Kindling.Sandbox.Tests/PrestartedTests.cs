using Kindling.Sandbox.Bubblewrap;
using Kindling.Sandbox.Prestarted;

namespace Kindling.Sandbox.Tests;

/// <summary>
/// Pre-started sandboxes: a launch of a stocked shape gets one, specialized, and the command inside cannot tell
/// (same code, variables, working directory, read-only /var/task, limits, descriptors) — nor see another function.
/// Its own launcher (one pre-started sandbox per shape), in the sandbox collection (one test at a time).
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class PrestartedTests(SandboxFixture fixture) : IAsyncLifetime
{
    private const string Probe =
        "pwd; cat hello.txt; env -0 | sort -z | tr '\\0' '\\n'; ls /proc/self/fd | sort -n | tr '\\n' ' '; echo;"
        + " ls -A /opt | tr '\\n' ' '; echo; touch /var/task/new 2>&1 | sed 's/.*: //'";

    private BubblewrapLauncher? _created;
    private string _root = null!;

    /// <summary>
    /// This test's launcher (one pre-started sandbox per shape), made on first use: a launcher disposed while it still
    /// builds its first /tmp template would leave it behind.
    /// </summary>
    private BubblewrapLauncher Launcher => _created ??= new BubblewrapLauncher(fixture.Options with
    {
        StateDirectory = Path.Combine(_root, "state"),
        PrestartedPerShape = 1,
    });

    public Task InitializeAsync()
    {
        _root = Path.Combine(fixture.Root, "prestarted-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_root);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_created is not null)
        {
            await _created.DisposeAsync();
        }

        Assert.DoesNotContain(Path.Combine(_root, "state", "slots"), File.ReadAllText("/proc/self/mountinfo"), StringComparison.Ordinal);
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task LaunchAsync_StockedShape_SpecializedSandboxRunsExactlyTheSpec()
    {
        var first = await RunAsync(Spec(Code("one"), Probe));
        Assert.True(await WaitForStockAsync(first.Spec));
        var env = new Dictionary<string, string>(Spec(Code("two"), "").Environment) { ["TRICKY"] = "it's \"quoted\" $HOME `x`\nline two\\" };
        var second = await RunAsync(Spec(Code("two"), Probe) with { Environment = env, MemoryLimitBytes = 192L * 1024 * 1024 });

        Assert.Equal(1, Launcher.Prestarted!.Hits);
        Assert.StartsWith("kp-", second.Sandbox.Id, StringComparison.Ordinal);
        Assert.StartsWith("t", first.Sandbox.Id, StringComparison.Ordinal);
        // The same view as a sandbox launched for the spec.
        const string tricky = "TRICKY=it's \"quoted\" $HOME `x`\nline two\\\n";
        Assert.Contains(tricky, second.Output, StringComparison.Ordinal);
        Assert.Equal(first.Output.Replace("hello one", "hello two", StringComparison.Ordinal), second.Output.Replace(tricky, "", StringComparison.Ordinal));
        Assert.StartsWith("/var/task\nhello two\n", second.Output, StringComparison.Ordinal);
        Assert.Contains("\n0 1 2 3 \n", second.Output, StringComparison.Ordinal); // stdin, the output pipe, ls's own
        Assert.Contains("Read-only file system\n", second.Output, StringComparison.Ordinal);
        Assert.Equal(0, second.Exit.ExitCode);
        Assert.Equal(192L * 1024 * 1024, second.MemoryLimit);
    }

    [Fact]
    public async Task LaunchAsync_Layers_BoundAtOpt()
    {
        await RunAsync(Spec(Code("one"), "true"));
        var spec = Spec(Code("two"), "ls /opt; cat /opt/layer.txt") with { OptDirectory = Code("layer", "layer.txt") };
        Assert.True(await WaitForStockAsync(spec));

        var run = await RunAsync(spec);

        Assert.Equal(1, Launcher.Prestarted!.Hits);
        Assert.Equal("layer.txt\nhello layer\n", run.Output);
    }

    [Fact]
    public async Task LaunchAsync_TwoFunctionsAtOnce_EachSeesOnlyItsCode()
    {
        await using var launcher = new BubblewrapLauncher(fixture.Options with
        {
            StateDirectory = Path.Combine(_root, "state2"),
            PrestartedPerShape = 2,
        });
        var one = Spec(Code("one"), "cat hello.txt; ls /var/task; sleep 0.3; cat /var/task/hello.txt");
        var two = Spec(Code("two"), "cat hello.txt; ls /var/task; sleep 0.3; cat /var/task/hello.txt");
        await using (await launcher.LaunchAsync(Spec(Code("zero"), "true"), CancellationToken.None))
        {
        }

        Assert.True(await SandboxAssert.EventuallyAsync(() => launcher.Prestarted!.ReadyCount(PrestartedShape.Of(one)!) == 2));

        var sandboxes = await Task.WhenAll(launcher.LaunchAsync(one, CancellationToken.None).AsTask(), launcher.LaunchAsync(two, CancellationToken.None).AsTask());
        var outputs = await Task.WhenAll(sandboxes.Select(s => SandboxFixture.ReadToEndAsync(s.Output, CancellationToken.None)));
        foreach (var sandbox in sandboxes)
        {
            await sandbox.DisposeAsync();
        }

        Assert.Equal(2, launcher.Prestarted!.Hits);
        Assert.Equal("hello one\nhello.txt\nhello one\n", outputs[0]);
        Assert.Equal("hello two\nhello.txt\nhello two\n", outputs[1]);
    }

    [Fact]
    public async Task LaunchAsync_SmallerThanTheWaitingLimit_LaunchedAsUsual()
    {
        var spec = Spec(Code("one"), "echo ok") with { MemoryLimitBytes = 8L * 1024 * 1024 };

        Assert.Null(PrestartedShape.Of(spec));
        Assert.Equal("ok\n", (await RunAsync(spec)).Output);
    }

    [Fact]
    public async Task Constructor_DeadWorkersSlots_UnmountedAndRemovedWithoutTouchingTheCode()
    {
        var state = Path.Combine(_root, "state-crashed");
        var deadScope = Path.Combine(state, "slots", DeadPid().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(deadScope);
        var code = Code("survivor");
        var slot = MountSlot.Create(deadScope, "kp-left");
        slot.Attach(code, code);
        Assert.True(File.Exists(Path.Combine(slot.TaskDirectory, "hello.txt")));

        await using (new BubblewrapLauncher(fixture.Options with { StateDirectory = state, PrestartedPerShape = 1, TmpVolumePoolSize = 0 }))
        {
            Assert.False(Directory.Exists(deadScope));
        }

        Assert.DoesNotContain(deadScope, File.ReadAllText("/proc/self/mountinfo"), StringComparison.Ordinal);
        Assert.Equal("hello survivor\n", File.ReadAllText(Path.Combine(code, "hello.txt")));
    }

    /// <summary>A pid no process has now.</summary>
    private static int DeadPid()
    {
        var pid = 4_000_000;
        while (Directory.Exists("/proc/" + pid))
        {
            pid++;
        }

        return pid;
    }

    [Theory]
    [InlineData("OPTIND")]
    [InlineData("NOT-A-SHELL-NAME")]
    [InlineData("1ST")]
    public void Of_VariableTheShellWouldNotExportAsGiven_NotServed(string name)
    {
        var spec = fixture.Shell("true");

        Assert.NotNull(PrestartedShape.Of(spec));
        Assert.Null(PrestartedShape.Of(spec with { Environment = new Dictionary<string, string>(spec.Environment) { [name] = "1" } }));
    }

    private SandboxSpec Spec(string task, string script) => fixture.Shell(script) with { TaskDirectory = task };

    private async Task<bool> WaitForStockAsync(SandboxSpec spec) =>
        await SandboxAssert.EventuallyAsync(() => Launcher.Prestarted!.ReadyCount(PrestartedShape.Of(spec)!) > 0);

    /// <summary>A world-readable directory with one file saying hello.</summary>
    private string Code(string name, string file = "hello.txt")
    {
        var directory = Path.Combine(_root, "code-" + name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, file), "hello " + name + "\n");
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        return directory;
    }

    private async Task<Run> RunAsync(SandboxSpec spec)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var sandbox = (BubblewrapSandbox)await Launcher.LaunchAsync(spec, timeout.Token);
        await using (sandbox)
        {
            var limitFile = sandbox.Cgroup.Directories
                .SelectMany(d => new[] { Path.Combine(d, "memory.limit_in_bytes"), Path.Combine(d, "memory.max") })
                .First(File.Exists);
            var limit = File.ReadAllText(limitFile).Trim();
            var output = await SandboxFixture.ReadToEndAsync(sandbox.Output, timeout.Token);
            var exit = await sandbox.Exited.WaitAsync(timeout.Token);
            return new Run(spec, sandbox, output, exit, long.Parse(limit, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private sealed record Run(SandboxSpec Spec, BubblewrapSandbox Sandbox, string Output, SandboxExit Exit, long MemoryLimit);
}
