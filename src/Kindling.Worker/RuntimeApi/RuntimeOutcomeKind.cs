namespace Kindling.Worker.RuntimeApi;

/// <summary>The kinds of <see cref="RuntimeOutcome"/>.</summary>
internal enum RuntimeOutcomeKind
{
    /// <summary>Init: the runtime asked for its first event.</summary>
    Ready,

    /// <summary>Invoke: the runtime posted a response.</summary>
    Response,

    /// <summary>The runtime posted an error (invocation error, or init error during Init).</summary>
    Error,

    /// <summary>The runtime's response was over the limit.</summary>
    ResponseTooLarge,

    /// <summary>The runtime exited first.</summary>
    Exited,

    /// <summary>The deadline passed first.</summary>
    TimedOut,

    /// <summary>An extension failed (init/error, exit/error, crash): the environment ends.</summary>
    ExtensionFailed,
}
