namespace Kindling.Invocation.Workers;

/// <summary>The provisioned concurrency of one pool key at one moment.</summary>
/// <param name="Requested">Provisioned environments wanted.</param>
/// <param name="Allocated">Launched, initialized and in service (at most <paramref name="Requested"/>).</param>
/// <param name="Available">Allocated and able to serve. Kindling retires and replaces a failed environment at once, so this equals <paramref name="Allocated"/>.</param>
/// <param name="Starting">Being placed, launched and initialized.</param>
/// <param name="Failure">Why the last launch failed (for example <c>FUNCTION_ERROR_INIT_FAILURE</c>), until the target is reached; null otherwise.</param>
public readonly record struct ProvisionedCounts(int Requested, int Allocated, int Available, int Starting, string? Failure);
