using Kindling.Sandbox.Seccomp;

namespace Kindling.Sandbox.Tests.Seccomp;

public sealed class SeccompProgramTests
{
    [Fact]
    public void Bytes_CompiledPolicy_IsAWholeBpfProgram()
    {
        var program = SeccompProgram.Bytes;

        // struct sock_filter is 8 bytes; one comparison per denied call at least, plus the architecture checks.
        Assert.Equal(0, program.Length % 8);
        Assert.InRange(program.Length / 8, SeccompPolicy.Denied.Count, 4096);
    }

    [Fact]
    public void Bytes_RepeatedCalls_ReuseOneCompilation()
    {
        Assert.True(SeccompProgram.Bytes.Span == SeccompProgram.Bytes.Span);
    }
}
