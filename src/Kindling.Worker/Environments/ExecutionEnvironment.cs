using Kindling.Invocation.Environments;
using Kindling.Sandbox;
using Kindling.Worker.Extensions;
using Kindling.Worker.Logs;
using Kindling.Worker.RuntimeApi;
using Kindling.Worker.Telemetry;
using Microsoft.Extensions.Logging;

namespace Kindling.Worker.Environments;

/// <summary>
/// One execution environment: a sandboxed runtime for one function version, its Runtime API session and its
/// log stream, through Lambda's lifecycle (Init ≤ 10 s, retried at the first invoke if it timed out; Invoke ≤
/// the function's timeout; Shutdown). Init is here, Invoke in <c>ExecutionEnvironment.Invoke.cs</c>.
/// </summary>
internal sealed partial class ExecutionEnvironment : IExecutionEnvironment
{
    /// <summary>How long to wait for the output of a runtime that ended to reach the log before END.</summary>
    private static readonly TimeSpan s_outputDrainLimit = TimeSpan.FromSeconds(1);

    /// <summary>How long an answered invocation waits for the lines its runtime wrote before answering to reach the log.</summary>
    private static readonly TimeSpan s_outputFlushLimit = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a freeze waits for buffered telemetry to reach the extensions (the rest goes after the thaw).</summary>
    private static readonly TimeSpan s_telemetryFlushLimit = TimeSpan.FromMilliseconds(500);

    private readonly WorkerOptions _options;
    private readonly ISandboxLauncher _launcher;
    private readonly RuntimeApiTransport _transport;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LogStreamWriter _log;
    private readonly SandboxSpec _spec;
    private RuntimeInstance? _runtime;
    private IReadOnlyList<string>? _command;
    private EnvironmentFailure? _failure;
    private double? _pendingInitDurationMs;
    private IReadOnlyList<string> _extensions = [];
    private string? _shutdownReason;
    private Task _afterInvoke = Task.CompletedTask;
    private Task? _extensionsDone;
    private int _launches;
    private int _busy;
    private volatile bool _broken;
    private int _shutDown;
    private int _disposed;

    public ExecutionEnvironment(
        string id, FunctionSpec function, SandboxSpec spec, LogStreamWriter log, WorkerOptions options, ISandboxLauncher launcher,
        RuntimeApiTransport transport, TimeProvider time, ILogger logger)
    {
        Id = id;
        Function = function;
        _spec = spec;
        _log = log;
        _options = options;
        _launcher = launcher;
        _transport = transport;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public FunctionSpec Function { get; }

    /// <inheritdoc />
    public long MemoryBytes => Function.MemorySizeMb * 1024L * 1024L;

    /// <summary>AWS_LAMBDA_LOG_STREAM_NAME.</summary>
    public string LogStreamName => _log.StreamName;

    /// <inheritdoc />
    public bool IsInitialized => _runtime is not null;

    /// <inheritdoc />
    public bool IsReusable => !_broken && _failure is null && Volatile.Read(ref _disposed) == 0 && Volatile.Read(ref _shutDown) == 0
        && _runtime?.Exited.IsCompleted != true;

    /// <summary>
    /// The Init phase: INIT_START, the sandbox, then up to <see cref="WorkerOptions.InitTimeout"/> for the runtime's
    /// first <c>next</c>. A failed Init is kept for the first invocation; a timed-out one is retried there.
    /// </summary>
    /// <param name="command">The runtime's command; null with a <paramref name="failure"/>.</param>
    /// <param name="failure">Why Init fails without starting anything (no bootstrap, say).</param>
    /// <param name="timeline">
    /// Marked when the sandbox is up ("sandbox"), when it first connects to the Runtime API ("connection") and when
    /// Init ends ("next").
    /// </param>
    /// <param name="cancellationToken">Gives up the Init.</param>
    public async Task InitializeAsync(
        IReadOnlyList<string>? command, EnvironmentFailure? failure, StepTimeline timeline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        var started = _time.GetTimestamp();
        if (failure is not null)
        {
            WriteInitStart();
            Fail(failure, _time.GetElapsedTime(started).TotalMilliseconds, "init");
            return;
        }

        _extensions = ExtensionFiles.Find(_spec.OptDirectory);
        if (_extensions.Count > ExtensionFiles.Limit)
        {
            WriteInitStart();
            Fail(
                EnvironmentFailure.FromPlatform(ExtensionFailure.TooManyExtensions, $"Extension limit ({ExtensionFiles.Limit}) reached: /opt/extensions holds {_extensions.Count}"),
                _time.GetElapsedTime(started).TotalMilliseconds, "init");
            return;
        }

        _command = command;
        var runtime = await LaunchRuntimeAsync(command!, "init", cancellationToken);
        timeline.Mark("sandbox");
        RuntimeOutcome outcome;
        try
        {
            outcome = await WaitInitAsync(runtime, _options.InitTimeout, cancellationToken);
            if (runtime.Session.FirstConnectionTimestamp is var connected and not 0)
            {
                timeline.Mark("connection", connected);
            }

            timeline.Mark("next");
        }
        catch (TimeoutException)
        {
            // Lambda retries a timed-out Init at the first invoke, in a fresh runtime, under the function's timeout.
            var initMs = _time.GetElapsedTime(started).TotalMilliseconds;
            _log.WriteLine(PlatformLines.InitReport(initMs, "init", "timeout", null), flush: true);
            runtime.Telemetry.Publish(TelemetryRecords.InitReport(_time.GetUtcNow(), InitializationType, "init", "timeout", null, initMs));
            _runtime = null;
            await runtime.DisposeAsync();
            WorkerLog.InitTimedOut(_logger, Id, Function.FunctionName);
            return;
        }

        await CompleteInitAsync(runtime, outcome, started, "init");
    }

    /// <summary>AWS_LAMBDA_INITIALIZATION_TYPE (telemetry's initializationType).</summary>
    private string InitializationType => _spec.Environment.GetValueOrDefault("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");

    /// <summary>
    /// Init ends when the runtime has called <c>next</c> (or failed) and, with extensions, when every extension
    /// has called <c>next</c> too; an extension failure ends it at once. Throws <see cref="TimeoutException"/>.
    /// </summary>
    private async Task<RuntimeOutcome> WaitInitAsync(RuntimeInstance runtime, TimeSpan limit, CancellationToken cancellationToken)
    {
        var extensions = runtime.Session.Extensions;
        var initialized = runtime.Session.Initialized;
        if (!extensions.HasExternal)
        {
            var outcome = await initialized.WaitAsync(limit, _time, cancellationToken);
            if (outcome.Kind != RuntimeOutcomeKind.Ready || !extensions.Any)
            {
                return outcome;
            }
        }

        var started = _time.GetTimestamp();
        if (await Task.WhenAny(initialized, extensions.Failed).WaitAsync(limit, _time, cancellationToken) == extensions.Failed)
        {
            return RuntimeOutcome.ExtensionFailed(await extensions.Failed);
        }

        var runtimeOutcome = await initialized;
        if (runtimeOutcome.Kind != RuntimeOutcomeKind.Ready)
        {
            return runtimeOutcome;
        }

        var remaining = limit - _time.GetElapsedTime(started);
        var ready = await Task.WhenAny(extensions.Ready, extensions.Failed).WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _time, cancellationToken);
        return ready == extensions.Failed ? RuntimeOutcome.ExtensionFailed(await extensions.Failed) : runtimeOutcome;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Waits first for the extensions to finish the last invocation (its END and REPORT), then delivers the
    /// telemetry buffered so far: a frozen extension could not take it. Throws if the extensions ran past the
    /// invocation's deadline (the environment is then not reusable).
    /// </remarks>
    public async ValueTask FreezeAsync(CancellationToken cancellationToken)
    {
        await _afterInvoke;
        if (_broken)
        {
            throw new InvalidOperationException($"Environment {Id} cannot be reused: {_shutdownReason ?? "failure"}.");
        }

        if (_runtime is { } runtime && !runtime.Exited.IsCompleted)
        {
            await runtime.Telemetry.FlushAsync(s_telemetryFlushLimit);
            await runtime.FreezeAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask ThawAsync(CancellationToken cancellationToken)
    {
        if (_runtime is { } runtime && !runtime.Exited.IsCompleted)
        {
            await runtime.ThawAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// SIGTERM to the runtime, SIGKILL after <see cref="WorkerOptions.ShutdownTimeout"/>. With external
    /// extensions, those registered for SHUTDOWN get it first (reason <c>timeout</c> or <c>failure</c> when an
    /// invocation ended the environment that way), and everything is killed once the runtime has exited and they
    /// have all called <c>next</c> or exited, or when the budget runs out.
    /// </remarks>
    public async ValueTask ShutdownAsync(string reason, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _shutDown, 1) != 0)
        {
            return;
        }

        reason = _shutdownReason ?? reason;
        try
        {
            await _afterInvoke.WaitAsync(_options.ShutdownTimeout, _time, CancellationToken.None);
        }
        catch (TimeoutException)
        {
        }

        if (_runtime is { } runtime)
        {
            Task? done = null;
            if (runtime.HasExternalExtensions && !runtime.Exited.IsCompleted)
            {
                var deadline = _time.GetUtcNow().ToUnixTimeMilliseconds() + (long)_options.ShutdownTimeout.TotalMilliseconds;
                var extensionsDone = runtime.Session.Extensions.DispatchShutdown(ExtensionHost.ShutdownBody(deadline, reason));
                done = Task.WhenAll(extensionsDone, runtime.Session.RuntimeExited);
            }

            await runtime.TerminateAsync(_options.ShutdownTimeout, _time, done);
            if (done is not null)
            {
                await runtime.DrainOutputAsync(s_outputDrainLimit, _time);
            }
        }

        WorkerLog.ShutDown(_logger, Id, reason);
    }

    /// <summary>Ends the runtime if still running and frees the sandbox (listener, control groups, /tmp).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (_runtime is { } runtime)
            {
                await runtime.DisposeAsync();
            }
        }
        finally
        {
            _log.Dispose();
        }
    }

    private async Task<RuntimeInstance> LaunchRuntimeAsync(IReadOnlyList<string> command, string phase, CancellationToken cancellationToken)
    {
        var launch = ++_launches;
        var spec = _spec with
        {
            Id = launch == 1 ? "k-" + Id : string.Concat("k-", Id, "-", launch.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Command = _extensions.Count > 0 ? ExtensionLauncher.Wrap(command) : command,
            // A pre-started runtime stands in for the runtime's own command, not for the extensions launcher.
            Prestart = _extensions.Count > 0 ? null : _spec.Prestart,
        };
        var initStart = _time.GetUtcNow();
        var session = new RuntimeSession(Id, _time) { Function = Function, Extensions = new ExtensionHost(_extensions) };
        session.Extensions.OnRegistered = extension =>
            session.Telemetry?.Publish(TelemetryRecords.Extension(_time.GetUtcNow(), extension.Name, "Ready", extension.Events));
        // INIT_START once the runtime has started (before any of its output is read): the line creates the log stream's
        // file, which need not hold the start up.
        var runtime = await RuntimeInstance.LaunchAsync(
            _launcher, spec, session, _transport, _log, _time, _logger,
            phase == "init" ? WriteInitStart : null,
            cancellationToken);
        _runtime = runtime;
        var version = PlatformLines.RuntimeVersion(Function.Runtime);
        runtime.Telemetry.Publish(TelemetryRecords.InitStart(
            initStart, InitializationType, phase, version, PlatformLines.RuntimeVersionArn(version, Function.Region), Function.FunctionName, Function.Version));
        return runtime;
    }

    private void WriteInitStart() => _log.WriteLine(PlatformLines.InitStart(Function.Runtime, Function.Region));

    /// <summary>Records how Init ended; false if it failed.</summary>
    private async ValueTask<bool> CompleteInitAsync(RuntimeInstance runtime, RuntimeOutcome outcome, long started, string phase)
    {
        // Init ran with the boosted CPU share (EnvironmentFactory); invocations get the function's.
        runtime.SetCpuLimit(_spec.CpuCount);
        var extensions = runtime.Session.Extensions;
        extensions.EndInit();
        var ended = extensions.Any || outcome.Kind == RuntimeOutcomeKind.ExtensionFailed ? _time.GetTimestamp() : runtime.Session.InitEndedTimestamp;
        var initMs = _time.GetElapsedTime(started, ended).TotalMilliseconds;
        var now = _time.GetUtcNow();
        var status = outcome.Kind == RuntimeOutcomeKind.Ready ? "success" : outcome.Kind == RuntimeOutcomeKind.Error ? "error" : "failure";
        var errorType = outcome.Kind switch
        {
            RuntimeOutcomeKind.Ready => null,
            RuntimeOutcomeKind.Exited => ExitReasons.ErrorType(outcome.Exit!),
            _ => outcome.ErrorType,
        };
        runtime.Telemetry.EndInit(() =>
        [
            TelemetryRecords.InitRuntimeDone(now, InitializationType, phase, status, errorType),
            TelemetryRecords.InitReport(now, InitializationType, phase, status, errorType, initMs),
        ]);
        switch (outcome.Kind)
        {
            case RuntimeOutcomeKind.Ready:
                _pendingInitDurationMs = initMs;
                WorkerLog.Initialized(_logger, Id, Function.FunctionName, initMs);
                return true;
            case RuntimeOutcomeKind.ExtensionFailed:
                var failure = outcome.Extension!;
                await runtime.KillAsync();
                await runtime.DrainOutputAsync(s_outputDrainLimit, _time);
                WorkerLog.ExtensionFailed(_logger, Id, Function.FunctionName, failure.ErrorType);
                Fail(EnvironmentFailure.FromPlatform(failure.ErrorType, failure.Reason), initMs, phase);
                return false;
            case RuntimeOutcomeKind.Error:
                // The runtime reported its own failure and normally exits (logging on its way out); Lambda does not
                // keep it running either way.
                try
                {
                    await runtime.Exited.WaitAsync(s_outputDrainLimit, _time);
                }
                catch (TimeoutException)
                {
                    await runtime.KillAsync();
                }

                await runtime.DrainOutputAsync(s_outputDrainLimit, _time);
                Fail(EnvironmentFailure.FromRuntime(outcome.Payload, outcome.ErrorType!), initMs, phase);
                return false;
            default:
                await runtime.DrainOutputAsync(s_outputDrainLimit, _time);
                var exit = outcome.Exit!;
                Fail(EnvironmentFailure.FromPlatform(ExitReasons.ErrorType(exit), ExitReasons.Reason(exit)), initMs, phase);
                return false;
        }
    }

    private void Fail(EnvironmentFailure failure, double initMs, string phase)
    {
        _failure = failure;
        _log.WriteLine(PlatformLines.InitReport(initMs, phase, "error", failure.ErrorType), flush: true);
        WorkerLog.InitFailed(_logger, Id, Function.FunctionName, failure.ErrorType);
    }
}
