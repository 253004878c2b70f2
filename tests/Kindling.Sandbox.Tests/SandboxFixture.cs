using System.Text;
using Kindling.Sandbox.Bubblewrap;

namespace Kindling.Sandbox.Tests;

/// <summary>One launcher for every sandbox test (its state in a temporary directory) and a world-readable task directory.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private static readonly UnixFileMode s_worldReadable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private int _next;

    public SandboxFixture()
    {
        // Not under /tmp: extra read-only paths may not lie there (the sandbox's own /tmp would hide them).
        Root = Path.Combine("/var/tmp", "kindling-sandbox-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        TaskDirectory = Path.Combine(Root, "task");
        Directory.CreateDirectory(TaskDirectory);
        File.WriteAllText(Path.Combine(TaskDirectory, "hello.txt"), "hello from the task\n");
        File.SetUnixFileMode(Root, s_worldReadable);
        File.SetUnixFileMode(TaskDirectory, s_worldReadable);
        Options = new BubblewrapLauncherOptions { StateDirectory = Path.Combine(Root, "state"), CgroupName = "kindling-tests" };
        Launcher = new BubblewrapLauncher(Options);
    }

    public string Root { get; }

    public string TaskDirectory { get; }

    public BubblewrapLauncherOptions Options { get; }

    public BubblewrapLauncher Launcher { get; }

    /// <summary>A spec running <c>/bin/sh -c script</c> with a small, valid configuration.</summary>
    public SandboxSpec Shell(string script) => new()
    {
        Id = NextId(),
        Command = ["/bin/sh", "-c", script],
        Environment = new Dictionary<string, string> { ["PATH"] = "/usr/local/bin:/usr/bin:/bin", ["LANG"] = "C.UTF-8" },
        TaskDirectory = TaskDirectory,
        MemoryLimitBytes = 128L * 1024 * 1024,
        TmpSizeBytes = 16L * 1024 * 1024,
        CpuCount = 1,
    };

    public string NextId() => "t" + Environment.ProcessId + "-" + Interlocked.Increment(ref _next);

    /// <summary>Launches, collects the whole output, waits for the exit, disposes.</summary>
    public async Task<SandboxRun> RunAsync(SandboxSpec spec)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var sandbox = (BubblewrapSandbox)await Launcher.LaunchAsync(spec, timeout.Token);
        await using (sandbox)
        {
            var output = await ReadToEndAsync(sandbox.Output, timeout.Token);
            var exit = await sandbox.Exited.WaitAsync(timeout.Token);
            return new SandboxRun(exit, output, sandbox);
        }
    }

    public static async Task<string> ReadToEndAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Launcher.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
