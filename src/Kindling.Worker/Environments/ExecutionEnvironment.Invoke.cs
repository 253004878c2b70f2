using System.Globalization;
using Kindling.Invocation.Environments;
using Kindling.Worker.Extensions;
using Kindling.Worker.Logs;
using Kindling.Worker.RuntimeApi;
using Kindling.Worker.Telemetry;

namespace Kindling.Worker.Environments;

/// <summary>The Invoke phase.</summary>
internal sealed partial class ExecutionEnvironment
{
    private const string FunctionError = "Unhandled";
    private const string TimedOutType = "Sandbox.Timedout";
    private const string TooLargeType = "Function.ResponseSizeTooLarge";
    private const string TooLargeMessage = "Response payload size exceeded maximum allowed payload size (6291556 bytes).";

    /// <inheritdoc />
    /// <remarks>
    /// Frames the invocation's log with START, END and REPORT; hands the event to the runtime's <c>next</c> and
    /// waits for its response or error until the deadline. A timeout, the runtime's exit or a cancellation by
    /// the caller ends the runtime: the environment is then not reusable (the caller's cancellation is rethrown).
    /// </remarks>
    public async Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException($"Environment {Id} already runs an invocation.");
        }

        try
        {
            // The previous invocation's extensions may still be at work (a hand-off skips the freeze that waits).
            await _afterInvoke;
            var started = _time.GetTimestamp();
            var timeout = TimeSpan.FromSeconds(Function.TimeoutSeconds);
            var deadline = _time.GetUtcNow().ToUnixTimeMilliseconds() + (long)timeout.TotalMilliseconds;
            if (request.TailLog)
            {
                _log.BeginTail();
            }

            _log.WriteLine(PlatformLines.Start(request.RequestId, Function.Version));
            _extensionsDone = null;
            var initDurationMs = _pendingInitDurationMs;
            _pendingInitDurationMs = null;
            Completion completion;
            if (_failure is { } failure)
            {
                completion = Failed(failure, request.RequestId);
            }
            else
            {
                Completion? initFailure = null;
                if (_runtime is null)
                {
                    (initFailure, initDurationMs) = await RetryInitAsync(request.RequestId, started, timeout, cancellationToken);
                }

                completion = initFailure ?? await RunAsync(_runtime!, request, deadline, started, timeout, mayRedeliver: true, cancellationToken);
                if (completion.Undelivered)
                {
                    // The runtime ended right after its previous answer (Node's does after an uncaught exception) and
                    // exited before taking this event: as Lambda, start a new runtime within this invoke.
                    var dead = _runtime!;
                    _runtime = null;
                    await dead.DisposeAsync();
                    (initFailure, initDurationMs) = await RetryInitAsync(request.RequestId, started, timeout, cancellationToken);
                    completion = initFailure ?? await RunAsync(_runtime!, request, deadline, started, timeout, mayRedeliver: false, cancellationToken);
                }
            }

            if (completion.Breaks)
            {
                _broken = true;
                WorkerLog.EnvironmentBroken(_logger, Id, Function.FunctionName, request.RequestId, completion.ErrorType ?? "error");
            }

            if (!completion.Breaks && _extensionsDone is { IsCompleted: false } extensionsDone)
            {
                // As in Lambda, the response goes back now; the invocation (END, REPORT, reuse) ends when every
                // extension registered for INVOKE has called next again, within the same deadline.
                var runtimeMs = _time.GetElapsedTime(started).TotalMilliseconds;
                _afterInvoke = FinishAfterExtensionsAsync(extensionsDone, request.RequestId, started, timeout, initDurationMs, completion);
                return Result(completion, request, runtimeMs, initDurationMs, PlatformLines.Megabytes(_runtime?.MaxMemoryUsageBytes ?? 0));
            }

            var (durationMs, maxMemoryUsedMb) = End(request.RequestId, started, timeout, initDurationMs, completion.Status, completion.ErrorType);
            return Result(completion, request, durationMs, initDurationMs, maxMemoryUsedMb);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _broken = true;
            if (_runtime is { } runtime)
            {
                await runtime.KillAsync();
            }

            throw;
        }
        finally
        {
            if (request.TailLog)
            {
                _log.EndTail();
            }

            Volatile.Write(ref _busy, 0);
        }
    }

    private InvocationResult Result(Completion completion, InvocationRequest request, double durationMs, double? initDurationMs, long maxMemoryUsedMb) => new()
    {
        Payload = completion.Payload,
        FunctionError = completion.ErrorType is null ? null : FunctionError,
        ErrorType = completion.ErrorType,
        LogTail = request.TailLog ? _log.EndTail() : null,
        DurationMs = durationMs,
        InitDurationMs = initDurationMs,
        MaxMemoryUsedMb = maxMemoryUsedMb,
    };

    /// <summary>END and REPORT (and telemetry's platform.report); the REPORT's duration and memory.</summary>
    private (double DurationMs, long MaxMemoryUsedMb) End(
        string requestId, long started, TimeSpan timeout, double? initDurationMs, string? status, string? errorType)
    {
        var durationMs = status == "timeout" ? timeout.TotalMilliseconds : _time.GetElapsedTime(started).TotalMilliseconds;
        var maxMemoryUsedMb = PlatformLines.Megabytes(_runtime?.MaxMemoryUsageBytes ?? 0);
        _log.WriteLine(PlatformLines.End(requestId));
        _log.WriteLine(
            PlatformLines.Report(
                requestId, durationMs, Function.MemorySizeMb, maxMemoryUsedMb, initDurationMs, status, status == "error" ? errorType : null),
            flush: true);
        if (_runtime?.Telemetry is { Active: true } telemetry)
        {
            var now = _time.GetUtcNow();
            var billed = PlatformLines.BilledMilliseconds(durationMs);
            var reportStatus = status ?? (errorType is null ? "success" : "error");
            telemetry.Publish(TelemetryRecords.End(now, requestId));
            telemetry.Publish(TelemetryRecords.Report(
                now, TelemetryApi.Telemetry, requestId, reportStatus, errorType, durationMs, billed, Function.MemorySizeMb, maxMemoryUsedMb, initDurationMs));
            telemetry.Publish(TelemetryRecords.Report(
                now, TelemetryApi.Logs, requestId, reportStatus, errorType, durationMs, billed, Function.MemorySizeMb, maxMemoryUsedMb, initDurationMs));
        }

        return (durationMs, maxMemoryUsedMb);
    }

    /// <summary>The post-runtime part of an invocation: the extensions' work, bounded by the deadline.</summary>
    private async Task FinishAfterExtensionsAsync(
        Task extensionsDone, string requestId, long started, TimeSpan timeout, double? initDurationMs, Completion completion)
    {
        var status = completion.Status;
        var errorType = completion.ErrorType;
        try
        {
            await extensionsDone.WaitAsync(Remaining(started, timeout), _time);
        }
        catch (TimeoutException)
        {
            _broken = true;
            _shutdownReason = "timeout";
            status = "timeout";
            errorType = TimedOutType;
            _log.WriteLine(PlatformLines.TimedOut(_time.GetUtcNow(), requestId, Function.TimeoutSeconds));
            WorkerLog.EnvironmentBroken(_logger, Id, Function.FunctionName, requestId, TimedOutType);
        }

        if (_runtime?.Session.Extensions.Failed is { IsCompleted: true } failed)
        {
            _broken = true;
            _shutdownReason ??= "failure";
            WorkerLog.ExtensionFailed(_logger, Id, Function.FunctionName, failed.Result.ErrorType);
        }

        End(requestId, started, timeout, initDurationMs, status, errorType);
    }

    private async Task<Completion> RunAsync(
        RuntimeInstance runtime, InvocationRequest request, long deadline, long started, TimeSpan timeout, bool mayRedeliver,
        CancellationToken cancellationToken)
    {
        var invocation = new PendingInvocation(request, deadline);
        var extensions = runtime.Session.Extensions;
        var telemetry = runtime.Telemetry;
        if (telemetry.Active)
        {
            var now = _time.GetUtcNow();
            telemetry.Publish(TelemetryRecords.Start(now, TelemetryApi.Telemetry, request.RequestId, Function.Version, request.TraceId));
            telemetry.Publish(TelemetryRecords.Start(now, TelemetryApi.Logs, request.RequestId, Function.Version, request.TraceId));
        }

        var hasExtensions = extensions.Any;
        if (hasExtensions)
        {
            _extensionsDone = extensions.DispatchInvoke(ExtensionHost.InvokeBody(deadline, request.RequestId, request.InvokedFunctionArn, request.TraceId));
        }

        runtime.Session.Enqueue(invocation);
        RuntimeOutcome outcome;
        try
        {
            if (hasExtensions)
            {
                await Task.WhenAny(invocation.Outcome, extensions.Failed).WaitAsync(Remaining(started, timeout), _time, cancellationToken);
                if (extensions.Failed.IsCompleted)
                {
                    invocation.TryComplete(RuntimeOutcome.ExtensionFailed(await extensions.Failed));
                }
            }

            outcome = await invocation.Outcome.WaitAsync(Remaining(started, timeout), _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // A response that raced the deadline wins; after this, posts for the invocation are refused.
            outcome = invocation.TryComplete(RuntimeOutcome.TimedOut) ? RuntimeOutcome.TimedOut : await invocation.Outcome;
        }
        finally
        {
            runtime.Session.Finish(invocation);
        }

        if (telemetry.Active)
        {
            var (status, type) = outcome.Kind switch
            {
                RuntimeOutcomeKind.Response => ("success", null),
                RuntimeOutcomeKind.Error => ("error", outcome.ErrorType),
                RuntimeOutcomeKind.ResponseTooLarge => ("failure", TooLargeType),
                RuntimeOutcomeKind.TimedOut => ("timeout", null),
                RuntimeOutcomeKind.ExtensionFailed => ("failure", outcome.ErrorType),
                _ => ("failure", ExitReasons.ErrorType(outcome.Exit!)),
            };
            var elapsed = _time.GetElapsedTime(started);
            telemetry.Publish(TelemetryRecords.RuntimeDone(
                _time.GetUtcNow(), request.RequestId, status, type, elapsed.TotalMilliseconds, outcome.Payload.Length, _time.GetUtcNow() - elapsed));
        }

        if (outcome.Kind is RuntimeOutcomeKind.Response or RuntimeOutcomeKind.Error or RuntimeOutcomeKind.ResponseTooLarge)
        {
            await runtime.FlushOutputAsync(s_outputFlushLimit, _time);
        }

        switch (outcome.Kind)
        {
            case RuntimeOutcomeKind.Response:
                return new Completion(outcome.Payload, null, null, Breaks: false);
            case RuntimeOutcomeKind.Error:
                return new Completion(outcome.Payload, outcome.ErrorType, null, Breaks: false);
            case RuntimeOutcomeKind.ResponseTooLarge:
                return new Completion(ErrorDocuments.MessageThenType(TooLargeMessage, TooLargeType), TooLargeType, null, Breaks: false);
            case RuntimeOutcomeKind.TimedOut:
                return await TimedOutAsync(runtime, request.RequestId);
            case RuntimeOutcomeKind.ExtensionFailed:
                var failure = outcome.Extension!;
                _shutdownReason = "failure";
                await runtime.KillRuntimeAsync();
                WorkerLog.ExtensionFailed(_logger, Id, Function.FunctionName, failure.ErrorType);
                var failureMessage = string.Concat("RequestId: ", request.RequestId, " Error: ", failure.Reason);
                return new Completion(ErrorDocuments.TypeThenMessage(failure.ErrorType, failureMessage), failure.ErrorType, "error", Breaks: true);
            default:
                if (mayRedeliver && !invocation.Delivered && !runtime.HasExternalExtensions && outcome.Kind == RuntimeOutcomeKind.Exited)
                {
                    return new Completion([], null, null, Breaks: false) { Undelivered = true };
                }

                var exit = outcome.Exit!;
                _shutdownReason = "failure";
                if (!runtime.HasExternalExtensions)
                {
                    // With extensions the output stays open (they live on): their lines keep coming.
                    await runtime.DrainOutputAsync(s_outputDrainLimit, _time);
                }

                var errorType = ExitReasons.ErrorType(exit);
                var message = string.Concat("RequestId: ", request.RequestId, " Error: ", ExitReasons.Reason(exit));
                _log.WriteLine(message);
                _log.WriteLine(errorType);
                return new Completion(ErrorDocuments.TypeThenMessage(errorType, message), errorType, "error", Breaks: true);
        }
    }

    /// <summary>Init timed out at creation: a fresh runtime gets what is left of the invocation's timeout.</summary>
    private async Task<(Completion? Failure, double? InitDurationMs)> RetryInitAsync(
        string requestId, long started, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var initStarted = _time.GetTimestamp();
        var runtime = await LaunchRuntimeAsync(_command!, "invoke", cancellationToken);
        RuntimeOutcome outcome;
        try
        {
            outcome = await WaitInitAsync(runtime, Remaining(started, timeout), cancellationToken);
        }
        catch (TimeoutException)
        {
            _log.WriteLine(PlatformLines.InitReport(_time.GetElapsedTime(initStarted).TotalMilliseconds, "invoke", "timeout", null));
            return (await TimedOutAsync(runtime, requestId), null);
        }

        if (await CompleteInitAsync(runtime, outcome, initStarted, "invoke"))
        {
            var initDurationMs = _pendingInitDurationMs;
            _pendingInitDurationMs = null;
            return (null, initDurationMs);
        }

        return (Failed(_failure!, requestId), null);
    }

    private async Task<Completion> TimedOutAsync(RuntimeInstance runtime, string requestId)
    {
        _shutdownReason = "timeout";
        if (runtime.HasExternalExtensions)
        {
            // The extensions live on until the Shutdown phase, for their SHUTDOWN event (reason timeout).
            await runtime.KillRuntimeAsync();
        }
        else
        {
            await runtime.KillAsync();
            await runtime.DrainOutputAsync(s_outputDrainLimit, _time);
        }

        _log.WriteLine(PlatformLines.TimedOut(_time.GetUtcNow(), requestId, Function.TimeoutSeconds));
        var message = string.Create(CultureInfo.InvariantCulture, $"RequestId: {requestId} Error: Task timed out after {Function.TimeoutSeconds:F2} seconds");
        return new Completion(ErrorDocuments.TypeThenMessage(TimedOutType, message), TimedOutType, "timeout", Breaks: true);
    }

    private static Completion Failed(EnvironmentFailure failure, string requestId)
        => new(failure.Payload(requestId), failure.ErrorType, "error", Breaks: true);

    private TimeSpan Remaining(long started, TimeSpan timeout)
    {
        var remaining = timeout - _time.GetElapsedTime(started);
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }
}
