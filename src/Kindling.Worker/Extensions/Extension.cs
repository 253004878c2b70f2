namespace Kindling.Worker.Extensions;

/// <summary>
/// One registered extension's state (guarded by its <see cref="ExtensionHost"/>'s lock): what it subscribed to,
/// whether it has finished the event it was last given (called <c>next</c> again), its parked <c>next</c>.
/// </summary>
internal sealed class Extension
{
    public Extension(string id, string name, bool external, bool invoke, bool shutdown, IReadOnlyList<string> events)
    {
        Id = id;
        Name = name;
        External = external;
        SubscribedToInvoke = invoke;
        SubscribedToShutdown = shutdown;
        Events = events;
    }

    /// <summary>Lambda-Extension-Identifier.</summary>
    public string Id { get; }

    /// <summary>Lambda-Extension-Name (the file name for external extensions).</summary>
    public string Name { get; }

    public bool External { get; }

    public bool SubscribedToInvoke { get; }

    public bool SubscribedToShutdown { get; }

    public IReadOnlyList<string> Events { get; }

    /// <summary>Called <c>next</c> at least once (its Init is over).</summary>
    public bool Ready { get; set; }

    /// <summary>Was given an event and has not called <c>next</c> since.</summary>
    public bool Busy { get; set; }

    /// <summary>Its process has exited (or it reported exit/error).</summary>
    public bool Gone { get; set; }

    /// <summary>The event waiting for its next <c>next</c>.</summary>
    public ExtensionEvent? Queued { get; set; }

    /// <summary>Its parked <c>next</c> request.</summary>
    public TaskCompletionSource<ExtensionEvent?>? Waiter { get; set; }
}
