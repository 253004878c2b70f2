using Kindling.Sandbox.Bubblewrap;

namespace Kindling.Sandbox.Tests.Bubblewrap;

public sealed class SandboxCommandLineTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kindling-cmdline-tests-").FullName;
    private readonly SandboxEtc _etc;

    public SandboxCommandLineTests()
    {
        _etc = new SandboxEtc(Path.Combine(_root, "etc"), 993, 990);
    }

    [Fact]
    public void Build_DefaultSpec_IsolatesEverythingAndBindsReadOnly()
    {
        var commandLine = SandboxCommandLine.Build(Spec(), new BubblewrapLauncherOptions(), HostRoot.Detect(), _etc, "/state/tmp/mounts/fn");

        var arguments = string.Join(' ', commandLine.Arguments);
        Assert.StartsWith(
            "--unshare-user --unshare-pid --unshare-ipc --unshare-uts --unshare-cgroup --unshare-net --disable-userns "
            + "--uid 993 --gid 990 --hostname localhost --die-with-parent --new-session --cap-drop ALL "
            + "--json-status-fd 4 --block-fd 5 --seccomp 6 --clearenv --setenv A 1 --setenv B two words --ro-bind /usr /usr ",
            arguments,
            StringComparison.Ordinal);
        Assert.EndsWith(
            "--ro-bind /code /var/task --ro-bind /layers /opt --ro-bind /ric /var/runtime --ro-bind /usr/lib/python3 /usr/lib/python3 "
            + "--proc /proc --dev /dev --bind /state/tmp/mounts/fn /tmp --remount-ro / --chdir /var/task",
            arguments,
            StringComparison.Ordinal);
        Assert.DoesNotContain("/etc/resolv.conf", arguments, StringComparison.Ordinal);
        Assert.Equal(["/var/task/bootstrap", "--flag"], commandLine.Command);
    }

    [Fact]
    public void Build_AllowNetwork_SharesTheNetworkAndBindsResolverConfiguration()
    {
        var commandLine = SandboxCommandLine.Build(
            Spec() with { AllowNetwork = true }, new BubblewrapLauncherOptions(), HostRoot.Detect(), _etc, null);

        Assert.DoesNotContain("--unshare-net", commandLine.Arguments);
        var arguments = string.Join(' ', commandLine.Arguments);
        if (File.Exists("/etc/resolv.conf"))
        {
            Assert.Contains("--ro-bind /etc/resolv.conf /etc/resolv.conf", arguments, StringComparison.Ordinal);
        }

        Assert.Contains("--size 16777216 --tmpfs /tmp", arguments, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodedArguments_EachArgument_EndsWithNul()
    {
        var commandLine = SandboxCommandLine.Build(Spec(), new BubblewrapLauncherOptions(), HostRoot.Detect(), _etc, null);

        var decoded = System.Text.Encoding.UTF8.GetString(commandLine.EncodedArguments);

        Assert.Equal(commandLine.Arguments, decoded.Split('\0')[..^1]);
        Assert.EndsWith("\0", decoded, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static SandboxSpec Spec() => new()
    {
        Id = "fn",
        Command = ["/var/task/bootstrap", "--flag"],
        Environment = new Dictionary<string, string> { ["A"] = "1", ["B"] = "two words" },
        TaskDirectory = "/code",
        OptDirectory = "/layers",
        RuntimeDirectory = "/ric",
        ExtraReadOnlyPaths = ["/usr/lib/python3"],
        MemoryLimitBytes = 128L * 1024 * 1024,
        TmpSizeBytes = 16L * 1024 * 1024,
        CpuCount = 128.0 / 1769,
    };
}
