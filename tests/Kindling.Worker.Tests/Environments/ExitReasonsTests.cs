using Kindling.Sandbox;
using Kindling.Worker.Environments;

namespace Kindling.Worker.Tests.Environments;

public sealed class ExitReasonsTests
{
    [Theory]
    [InlineData(0, null, false, "Runtime exited without providing a reason", "Runtime.ExitError")]
    [InlineData(3, null, false, "Runtime exited with error: exit status 3", "Runtime.ExitError")]
    [InlineData(137, 9, false, "Runtime exited with error: signal: killed", "Runtime.ExitError")]
    [InlineData(139, 11, false, "Runtime exited with error: signal: segmentation fault", "Runtime.ExitError")]
    [InlineData(137, 9, true, "Runtime exited with error: signal: killed", "Runtime.OutOfMemory")]
    public void Reason_Exit_IsLambdasWording(int code, int? signal, bool outOfMemory, string reason, string errorType)
    {
        var exit = new SandboxExit(code, signal, outOfMemory);

        Assert.Equal(reason, ExitReasons.Reason(exit));
        Assert.Equal(errorType, ExitReasons.ErrorType(exit));
    }
}
