using Kindling.Invocation.Workers;

namespace Kindling.Invocation.Tests.Workers;

public sealed class WorkerManagerOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_HasNoProblems()
    {
        var options = new WorkerManagerOptions();

        Assert.Empty(WorkerManagerOptionsValidator.Validate(options));
        Assert.Equal(TimeSpan.FromMinutes(10), options.KeepAlive);
        Assert.Equal(TimeSpan.FromHours(2), options.MaxLifetime);
        Assert.Equal(1L << 30, options.ReserveBytes);
        Assert.Null(options.HostMemoryBytes);
        Assert.Equal(1000, options.ScaleUpLimit);
    }

    [Fact]
    public void Validate_BadValues_ReportsEachProblem()
    {
        var options = new WorkerManagerOptions
        {
            KeepAlive = TimeSpan.Zero,
            MaxLifetime = TimeSpan.FromSeconds(-1),
            ReapInterval = TimeSpan.Zero,
            HostMemoryBytes = 0,
            ReserveBytes = -1,
            ScaleUpLimit = 0,
        };

        Assert.Equal(
            [
                "The keep-alive of idle environments must be positive (got 00:00:00).",
                "The maximum lifetime of environments must be positive (got -00:00:01).",
                "The reap interval must be positive (got 00:00:00).",
                "The host memory must be positive (got 0 bytes).",
                "The memory reserve cannot be negative (got -1 bytes).",
                "The scale-up limit (new environments per function per 10 seconds) must be positive (got 0).",
            ],
            WorkerManagerOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_ReapIntervalLongerThanKeepAlive_IsAProblem() =>
        Assert.Equal(
            ["The reap interval (00:02:00) must not exceed the keep-alive (00:01:00)."],
            WorkerManagerOptionsValidator.Validate(new WorkerManagerOptions { KeepAlive = TimeSpan.FromMinutes(1), ReapInterval = TimeSpan.FromMinutes(2) }));
}
