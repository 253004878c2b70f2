using Kindling.Sandbox.Cgroups;

namespace Kindling.Sandbox.Tests.Cgroups;

public sealed class CgroupLimitsTests
{
    [Theory]
    [InlineData(1.0, 100_000)]
    [InlineData(0.25, 25_000)]
    [InlineData(128.0 / 1769, 7_236)]
    [InlineData(6.0, 600_000)]
    [InlineData(0.001, 1_000)]
    public void CpuQuotaMicroseconds_ForCpuCount_IsThatShareOfThePeriod(double cpus, long expected)
    {
        Assert.Equal(expected, new CgroupLimits(1, cpus, 1).CpuQuotaMicroseconds);
    }
}
