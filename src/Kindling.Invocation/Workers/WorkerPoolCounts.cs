namespace Kindling.Invocation.Workers;

/// <summary>The environments of one pool key at one moment.</summary>
/// <param name="Idle">Warm, frozen, ready for the next invocation.</param>
/// <param name="Busy">Running an invocation (or being thawed for one).</param>
/// <param name="Freezing">Between an invocation and the idle stack: being frozen.</param>
/// <param name="Starting">Being placed and launched.</param>
/// <param name="Waiting">Invocations waiting for an environment.</param>
public readonly record struct WorkerPoolCounts(int Idle, int Busy, int Freezing, int Starting, int Waiting)
{
    /// <summary>Environments that exist or are being launched.</summary>
    public int Environments => Idle + Busy + Freezing + Starting;
}
