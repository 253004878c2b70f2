using Kindling.Invocation.Async;

namespace Kindling.Invocation.Tests.Async;

public sealed class RetryDelaysTests
{
    [Theory]
    [InlineData(1, 60)]
    [InlineData(2, 120)]
    public void AfterFunctionError_Unscaled_IsOneThenTwoMinutes(int attempt, int expected) =>
        Assert.Equal(expected, new RetryDelays(1).AfterFunctionError(attempt));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(9, 256)]
    [InlineData(10, 300)]
    [InlineData(40, 300)]
    public void AfterThrottle_Unscaled_DoublesFromOneSecondToFiveMinutes(int throttles, int expected) =>
        Assert.Equal(expected, new RetryDelays(1).AfterThrottle(throttles));

    [Fact]
    public void AfterFunctionError_Scaled_ShrinksTheDelays()
    {
        var delays = new RetryDelays(0.02);
        Assert.Equal((1, 2), (delays.AfterFunctionError(1), delays.AfterFunctionError(2)));
    }

    [Fact]
    public void AfterThrottle_ScaledToZero_StillWaitsOneSecond() =>
        Assert.Equal(1, new RetryDelays(0).AfterThrottle(1));
}
