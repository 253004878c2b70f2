namespace Kindling.Invocation.Async;

/// <summary>AWS's delays for asynchronous retries, scaled by <see cref="AsyncInvokeOptions.RetryDelayScale"/>.</summary>
internal sealed class RetryDelays(double scale)
{
    private const int MaxBackoffSeconds = 300;

    /// <summary>After the <paramref name="attempt"/>-th failed invocation (1-based): 1 minute, then 2 minutes.</summary>
    public int AfterFunctionError(int attempt) => Scale(attempt <= 1 ? 60 : 120, 0);

    /// <summary>After the <paramref name="throttles"/>-th throttle or Kindling-side failure in a row: 1 s doubling to 5 min.</summary>
    public int AfterThrottle(int throttles)
    {
        var seconds = Math.Min(MaxBackoffSeconds, 1 << Math.Min(Math.Max(throttles - 1, 0), 9));
        // Never 0: a throttled event must not spin through the queue.
        return Scale(seconds, 1);
    }

    private int Scale(int seconds, int minimum) => Math.Max(minimum, (int)Math.Round(seconds * scale, MidpointRounding.AwayFromZero));
}
