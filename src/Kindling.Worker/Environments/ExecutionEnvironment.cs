using Kindling.Invocation.Environments;
using Kindling.Sandbox;
using Kindling.Worker.Logs;
using Kindling.Worker.RuntimeApi;
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
    public bool IsReusable => !_broken && _failure is null && Volatile.Read(ref _disposed) == 0 && Volatile.Read(ref _shutDown) == 0
        && _runtime?.Exited.IsCompleted != true;

    /// <summary>
    /// The Init phase: INIT_START, the sandbox, then up to <see cref="WorkerOptions.InitTimeout"/> for the runtime's
    /// first <c>next</c>. A failed Init is kept for the first invocation; a timed-out one is retried there.
    /// </summary>
    public async Task InitializeAsync(IReadOnlyList<string>? command, EnvironmentFailure? failure, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        _log.WriteLine(PlatformLines.InitStart(Function.Runtime, Function.Region));
        if (failure is not null)
        {
            Fail(failure, _time.GetElapsedTime(started).TotalMilliseconds, "init");
            return;
        }

        _command = command;
        var runtime = await LaunchRuntimeAsync(command!, cancellationToken);
        RuntimeOutcome outcome;
        try
        {
            outcome = await runtime.Session.Initialized.WaitAsync(_options.InitTimeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Lambda retries a timed-out Init at the first invoke, in a fresh runtime, under the function's timeout.
            _log.WriteLine(PlatformLines.InitReport(_time.GetElapsedTime(started).TotalMilliseconds, "init", "timeout", null), flush: true);
            _runtime = null;
            await runtime.DisposeAsync();
            WorkerLog.InitTimedOut(_logger, Id, Function.FunctionName);
            return;
        }

        await CompleteInitAsync(runtime, outcome, started, "init");
    }

    /// <inheritdoc />
    public async ValueTask FreezeAsync(CancellationToken cancellationToken)
    {
        if (_runtime is { } runtime && !runtime.Exited.IsCompleted)
        {
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
    /// <remarks>No extensions yet: SIGTERM to the runtime, SIGKILL after <see cref="WorkerOptions.ShutdownTimeout"/>.</remarks>
    public async ValueTask ShutdownAsync(string reason, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _shutDown, 1) != 0)
        {
            return;
        }

        if (_runtime is { } runtime)
        {
            await runtime.TerminateAsync(_options.ShutdownTimeout, _time);
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

    private async Task<RuntimeInstance> LaunchRuntimeAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var launch = ++_launches;
        var spec = _spec with
        {
            Id = launch == 1 ? "k-" + Id : string.Concat("k-", Id, "-", launch.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Command = command,
        };
        var runtime = await RuntimeInstance.LaunchAsync(_launcher, spec, new RuntimeSession(Id, _time), _transport, _log, _logger, cancellationToken);
        _runtime = runtime;
        return runtime;
    }

    /// <summary>Records how Init ended; false if it failed.</summary>
    private async ValueTask<bool> CompleteInitAsync(RuntimeInstance runtime, RuntimeOutcome outcome, long started, string phase)
    {
        var initMs = _time.GetElapsedTime(started, runtime.Session.InitEndedTimestamp).TotalMilliseconds;
        switch (outcome.Kind)
        {
            case RuntimeOutcomeKind.Ready:
                _pendingInitDurationMs = initMs;
                WorkerLog.Initialized(_logger, Id, Function.FunctionName, initMs);
                return true;
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
