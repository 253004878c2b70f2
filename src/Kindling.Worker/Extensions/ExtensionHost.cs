using System.Text.Json;

namespace Kindling.Worker.Extensions;

/// <summary>
/// The Extensions API's state for one runtime launch (lambda-api.md §4): the external extensions expected (one
/// per executable in <c>/opt/extensions</c>) and every registered one, their events and their progress. The
/// environment dispatches INVOKE and SHUTDOWN and waits on the returned tasks; the HTTP side registers and
/// parks <c>event/next</c> requests. One lock guards everything (calls are rare and short).
/// </summary>
internal sealed class ExtensionHost
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _expected;
    private readonly Dictionary<string, Extension> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Extension> _byName = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ExtensionFailure> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _round;
    private bool _registrationClosed;
    private bool _initOver;
    private bool _shuttingDown;
    private bool _closed;

    public ExtensionHost(IReadOnlyList<string> externalNames)
    {
        _expected = new HashSet<string>(externalNames, StringComparer.Ordinal);
        if (_expected.Count == 0)
        {
            _registered.TrySetResult();
        }
    }

    /// <summary>Whether external extensions run in this environment (its command is the launcher).</summary>
    public bool HasExternal => _expected.Count > 0;

    /// <summary>Completes when every external extension has registered (the launcher then starts the runtime).</summary>
    public Task Registered => _registered.Task;

    /// <summary>Completes with the first failure that ends the environment.</summary>
    public Task<ExtensionFailure> Failed => _failed.Task;

    /// <summary>Called after each registration (platform.extension telemetry).</summary>
    public Action<Extension>? OnRegistered { get; set; }

    /// <summary>Whether any extension registered.</summary>
    public bool Any
    {
        get
        {
            lock (_lock)
            {
                return _byId.Count > 0;
            }
        }
    }

    /// <summary><c>POST /extension/register</c>.</summary>
    public (Extension? Extension, ExtensionApiError? Error) Register(string? name, IReadOnlyList<string> events)
    {
        if (string.IsNullOrEmpty(name))
        {
            return (null, new ExtensionApiError("Extension.InvalidExtensionName", "Empty extension name"));
        }

        Extension extension;
        lock (_lock)
        {
            var external = _expected.Contains(name);
            foreach (var type in events)
            {
                if (type is not ("INVOKE" or "SHUTDOWN") || (!external && type == "SHUTDOWN"))
                {
                    return (null, new ExtensionApiError("Extension.InvalidEventType", type + ": ErrorInvalidEventType"));
                }
            }

            if (_byName.ContainsKey(name))
            {
                return (null, external
                    ? ExtensionApiError.InvalidState("Registered", "Registered", name)
                    : new ExtensionApiError("Extension.InvalidExtensionState", "Extension with this name already registered"));
            }

            if (!external && _registrationClosed)
            {
                return (null, new ExtensionApiError("Extension.RegistrationClosed", "Extension registration closed already"));
            }

            if (!external && _byName.Count + (_expected.Count - _expected.Count(_byName.ContainsKey)) >= ExtensionFiles.Limit)
            {
                return (null, new ExtensionApiError("Extension.TooManyExtensions", $"Extension limit ({ExtensionFiles.Limit}) reached"));
            }

            extension = new Extension(
                Guid.NewGuid().ToString(), name, external, events.Contains("INVOKE"), events.Contains("SHUTDOWN"), [.. events.Distinct()]);
            _byId.Add(extension.Id, extension);
            _byName.Add(name, extension);
            if (_expected.All(_byName.ContainsKey))
            {
                _registered.TrySetResult();
            }
        }

        OnRegistered?.Invoke(extension);
        return (extension, null);
    }

    public Extension? Find(string id)
    {
        lock (_lock)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    /// <summary>The runtime called <c>next</c> for the first time: no more internal extensions.</summary>
    public void CloseRegistration()
    {
        lock (_lock)
        {
            _registrationClosed = true;
            CheckReadyLocked();
        }
    }

    /// <summary>
    /// Completes when Init is over for the extensions: every external one registered and every registered one
    /// called <c>next</c> (call after <see cref="CloseRegistration"/>).
    /// </summary>
    public Task Ready => _ready.Task;

    /// <summary><c>GET /extension/event/next</c>: the extension is done with its last event; waits for the next.</summary>
    public ValueTask<ExtensionEvent?> NextAsync(Extension extension, CancellationToken cancellationToken)
    {
        TaskCompletionSource<ExtensionEvent?> waiter;
        lock (_lock)
        {
            extension.Ready = true;
            if (extension.Busy)
            {
                extension.Busy = false;
                CheckRoundLocked();
            }

            CheckReadyLocked();
            if (_closed)
            {
                return ValueTask.FromResult<ExtensionEvent?>(null);
            }

            if (extension.Queued is { } queued)
            {
                extension.Queued = null;
                extension.Busy = true;
                return ValueTask.FromResult<ExtensionEvent?>(queued);
            }

            extension.Waiter?.TrySetResult(null);
            waiter = new TaskCompletionSource<ExtensionEvent?>(TaskCreationOptions.RunContinuationsAsynchronously);
            extension.Waiter = waiter;
        }

        return WaitAsync(extension, waiter, cancellationToken);
    }

    /// <summary><c>init/error</c>: false (and no effect) once the extension's Init is over.</summary>
    public bool TryInitError(Extension extension, string errorType)
    {
        lock (_lock)
        {
            if (extension.Ready || _initOver)
            {
                return false;
            }

            extension.Gone = true;
        }

        _failed.TrySetResult(new ExtensionFailure(ExtensionFailure.InitError, $"Extension {extension.Name} reported an init error: {errorType}"));
        return true;
    }

    /// <summary><c>exit/error</c>.</summary>
    public void ExitError(Extension extension, string errorType)
    {
        lock (_lock)
        {
            extension.Gone = true;
            extension.Busy = false;
            CheckRoundLocked();
        }

        _failed.TrySetResult(new ExtensionFailure(ExtensionFailure.ExitError, $"Extension {extension.Name} reported an exit error: {errorType}"));
    }

    /// <summary>The launcher reported an external extension's exit (status as bash reports it).</summary>
    public void OnExited(string name, int status)
    {
        bool expected;
        lock (_lock)
        {
            var extension = _byName.GetValueOrDefault(name);
            if (extension is not null)
            {
                if (extension.Gone)
                {
                    return;
                }

                extension.Gone = true;
                extension.Busy = false;
                extension.Waiter?.TrySetResult(null);
                extension.Waiter = null;
                CheckRoundLocked();
            }

            expected = _shuttingDown;
        }

        if (!expected)
        {
            var reason = status is 126 or 127
                ? $"Extension {name} could not be started: exit status {status}"
                : $"Extension {name} exited: exit status {status}";
            _failed.TrySetResult(new ExtensionFailure(status is 126 or 127 ? ExtensionFailure.LaunchError : ExtensionFailure.Crash, reason));
        }
    }

    /// <summary>Init is over (successfully or not): init/error is refused from now on.</summary>
    public void EndInit()
    {
        lock (_lock)
        {
            _initOver = true;
        }
    }

    /// <summary>Sends INVOKE to the extensions subscribed; completes when each has called <c>next</c> again.</summary>
    public Task DispatchInvoke(byte[] body) => Dispatch(new ExtensionEvent(Guid.NewGuid().ToString(), body, false));

    /// <summary>Sends SHUTDOWN to the extensions subscribed; completes when each has called <c>next</c> or exited.</summary>
    public Task DispatchShutdown(byte[] body)
    {
        lock (_lock)
        {
            _shuttingDown = true;
        }

        return Dispatch(new ExtensionEvent(Guid.NewGuid().ToString(), body, true));
    }

    /// <summary>The runtime is gone: parked requests are released (their connections dropped).</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            _shuttingDown = true;
            foreach (var extension in _byId.Values)
            {
                extension.Waiter?.TrySetResult(null);
                extension.Waiter = null;
            }

            _round?.TrySetResult();
        }
    }

    /// <summary>The INVOKE body (lambda-api.md §4).</summary>
    public static byte[] InvokeBody(long deadlineMs, string requestId, string functionArn, string? traceId)
    {
        using var buffer = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("eventType"u8, "INVOKE");
            writer.WriteNumber("deadlineMs"u8, deadlineMs);
            writer.WriteString("requestId"u8, requestId);
            writer.WriteString("invokedFunctionArn"u8, functionArn);
            writer.WriteStartObject("tracing"u8);
            writer.WriteString("type"u8, "X-Amzn-Trace-Id");
            writer.WriteString("value"u8, traceId ?? string.Empty);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The SHUTDOWN body.</summary>
    public static byte[] ShutdownBody(long deadlineMs, string reason)
    {
        using var buffer = new MemoryStream(96);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("eventType"u8, "SHUTDOWN");
            writer.WriteNumber("deadlineMs"u8, deadlineMs);
            writer.WriteString("shutdownReason"u8, reason);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private Task Dispatch(ExtensionEvent @event)
    {
        lock (_lock)
        {
            var round = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _round = round;
            foreach (var extension in _byId.Values)
            {
                if (extension.Gone || !(@event.IsShutdown ? extension.SubscribedToShutdown : extension.SubscribedToInvoke))
                {
                    continue;
                }

                if (extension.Waiter is { } waiter)
                {
                    extension.Waiter = null;
                    if (waiter.TrySetResult(@event))
                    {
                        extension.Busy = true;
                        continue;
                    }
                }

                // Not parked (still on its previous event's work, or between requests): it gets it at its next.
                extension.Queued = @event;
            }

            CheckRoundLocked();
            return round.Task;
        }
    }

    private void CheckRoundLocked()
    {
        if (_round is { } round && _byId.Values.All(e => e.Gone || (!e.Busy && e.Queued is null)))
        {
            _round = null;
            round.TrySetResult();
        }
    }

    private void CheckReadyLocked()
    {
        if (_registrationClosed && _registered.Task.IsCompleted && _byId.Values.All(e => e.Ready || e.Gone))
        {
            _ready.TrySetResult();
        }
    }

    private async ValueTask<ExtensionEvent?> WaitAsync(Extension extension, TaskCompletionSource<ExtensionEvent?> waiter, CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(() => Cancel(extension, waiter)))
        {
            return await waiter.Task;
        }
    }

    private void Cancel(Extension extension, TaskCompletionSource<ExtensionEvent?> waiter)
    {
        lock (_lock)
        {
            if (extension.Waiter == waiter)
            {
                extension.Waiter = null;
            }

            waiter.TrySetResult(null);
        }
    }
}
