namespace Kindling.Invocation.Tests.TestSupport;

/// <summary>Waits for a condition with a deadline (no fixed sleeps).</summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}.");
            }

            await Task.Delay(1);
        }
    }

    public static Task<T> Within<T>(Task<T> task) => task.WaitAsync(Deadline);

    public static Task Within(Task task) => task.WaitAsync(Deadline);
}
