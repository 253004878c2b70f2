using Kindling.Sandbox.Bubblewrap;

namespace Kindling.Sandbox.Tests.Bubblewrap;

public sealed class BubblewrapSandboxTests
{
    [Theory]
    [InlineData("{ \"exit-code\": 0 }", 0)]
    [InlineData("{ \"exit-code\": 137 }", 137)]
    public void ReadExitCode_ExitRecord_ReturnsCode(string line, int expected)
    {
        Assert.Equal(expected, BubblewrapSandbox.ReadExitCode(line));
    }

    [Fact]
    public void ReadExitCode_ChildPidRecord_ReturnsNull()
    {
        Assert.Null(BubblewrapSandbox.ReadExitCode("{ \"child-pid\": 5472, \"cgroup-namespace\": 4026532182 }"));
    }

    [Fact]
    public void ToExit_ReportedCode_IsTheCommandsStatus()
    {
        Assert.Equal(new SandboxExit(3, null, false), BubblewrapSandbox.ToExit(3, 3 << 8));
    }

    [Fact]
    public void ToExit_ReportedSignalDeath_InfersTheSignal()
    {
        Assert.Equal(new SandboxExit(137, 9, false), BubblewrapSandbox.ToExit(137, 137 << 8));
    }

    [Theory]
    [InlineData(128)]
    [InlineData(129)]
    public void ToExit_Reported128Or129_IsAnExitStatusNotASignal(int code)
    {
        // 129 would be SIGHUP, which nothing sends a sandbox; runtimes exit with 129 (Node after an uncaught exception).
        Assert.Equal(new SandboxExit(code, null, false), BubblewrapSandbox.ToExit(code, code << 8));
    }

    [Fact]
    public void ToExit_ReportedSigterm_InfersTheSignal()
    {
        Assert.Equal(new SandboxExit(143, 15, false), BubblewrapSandbox.ToExit(143, 143 << 8));
    }

    [Fact]
    public void ToExit_BubblewrapKilledBeforeReporting_UsesItsWaitStatus()
    {
        Assert.Equal(new SandboxExit(137, 9, false), BubblewrapSandbox.ToExit(null, 9));
    }

    [Fact]
    public void ToExit_BubblewrapFailedBeforeReporting_UsesItsExitCode()
    {
        Assert.Equal(new SandboxExit(1, null, false), BubblewrapSandbox.ToExit(null, 1 << 8));
    }
}
