namespace Kindling.Invocation.Workers;

/// <summary>Checks <see cref="WorkerManagerOptions"/> at start-up, with messages a person can act on.</summary>
internal static class WorkerManagerOptionsValidator
{
    public static IReadOnlyList<string> Validate(WorkerManagerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.KeepAlive <= TimeSpan.Zero)
        {
            problems.Add($"The keep-alive of idle environments must be positive (got {options.KeepAlive}).");
        }

        if (options.MaxLifetime <= TimeSpan.Zero)
        {
            problems.Add($"The maximum lifetime of environments must be positive (got {options.MaxLifetime}).");
        }

        if (options.ReapInterval <= TimeSpan.Zero)
        {
            problems.Add($"The reap interval must be positive (got {options.ReapInterval}).");
        }
        else if (options.ReapInterval > options.KeepAlive && options.KeepAlive > TimeSpan.Zero)
        {
            problems.Add($"The reap interval ({options.ReapInterval}) must not exceed the keep-alive ({options.KeepAlive}).");
        }

        if (options.HotWindow < TimeSpan.Zero || options.HotWindow > TimeSpan.FromSeconds(1))
        {
            problems.Add($"The hot window of released environments must be from 0 to 1 second (got {options.HotWindow}).");
        }

        if (options.HostMemoryBytes is <= 0)
        {
            problems.Add($"The host memory must be positive (got {options.HostMemoryBytes} bytes).");
        }

        if (options.ReserveBytes < 0)
        {
            problems.Add($"The memory reserve cannot be negative (got {options.ReserveBytes} bytes).");
        }

        if (options.ScaleUpLimit <= 0)
        {
            problems.Add($"The scale-up limit (new environments per function per 10 seconds) must be positive (got {options.ScaleUpLimit}).");
        }

        return problems;
    }
}
