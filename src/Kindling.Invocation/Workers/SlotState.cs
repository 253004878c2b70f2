namespace Kindling.Invocation.Workers;

/// <summary>Where an environment is in the worker manager.</summary>
internal enum SlotState
{
    /// <summary>Owned by one invocation.</summary>
    Busy,

    /// <summary>Being frozen on its way to the idle stack; counts as supply for waiting invocations.</summary>
    Freezing,

    /// <summary>On its pool's idle stack and in the least-recently-used list.</summary>
    Idle,

    /// <summary>Taken out of service: being shut down or gone.</summary>
    Retired,
}
