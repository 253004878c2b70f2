using System.Globalization;
using Kindling.Invocation.Environments;
using Kindling.Worker.Logs;
using Kindling.Worker.RuntimeApi;

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
            var started = _time.GetTimestamp();
            var timeout = TimeSpan.FromSeconds(Function.TimeoutSeconds);
            var deadline = _time.GetUtcNow().ToUnixTimeMilliseconds() + (long)timeout.TotalMilliseconds;
            if (request.TailLog)
            {
                _log.BeginTail();
            }

            _log.WriteLine(PlatformLines.Start(request.RequestId, Function.Version));
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

                completion = initFailure ?? await RunAsync(_runtime!, request, deadline, started, timeout, cancellationToken);
            }

            if (completion.Breaks)
            {
                _broken = true;
                WorkerLog.EnvironmentBroken(_logger, Id, Function.FunctionName, request.RequestId, completion.ErrorType ?? "error");
            }

            var durationMs = completion.Status == "timeout" ? timeout.TotalMilliseconds : _time.GetElapsedTime(started).TotalMilliseconds;
            var maxMemoryUsedMb = PlatformLines.Megabytes(_runtime?.MaxMemoryUsageBytes ?? 0);
            _log.WriteLine(PlatformLines.End(request.RequestId));
            _log.WriteLine(
                PlatformLines.Report(
                    request.RequestId, durationMs, Function.MemorySizeMb, maxMemoryUsedMb, initDurationMs, completion.Status,
                    completion.Status == "error" ? completion.ErrorType : null),
                flush: true);
            return new InvocationResult
            {
                Payload = completion.Payload,
                FunctionError = completion.ErrorType is null ? null : FunctionError,
                ErrorType = completion.ErrorType,
                LogTail = request.TailLog ? _log.EndTail() : null,
                DurationMs = durationMs,
                InitDurationMs = initDurationMs,
                MaxMemoryUsedMb = maxMemoryUsedMb,
            };
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

    private async Task<Completion> RunAsync(
        RuntimeInstance runtime, InvocationRequest request, long deadline, long started, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var invocation = new PendingInvocation(request, deadline);
        runtime.Session.Enqueue(invocation);
        RuntimeOutcome outcome;
        try
        {
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
            default:
                var exit = outcome.Exit!;
                await runtime.DrainOutputAsync(s_outputDrainLimit, _time);
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
        var runtime = await LaunchRuntimeAsync(_command!, cancellationToken);
        RuntimeOutcome outcome;
        try
        {
            outcome = await runtime.Session.Initialized.WaitAsync(Remaining(started, timeout), _time, cancellationToken);
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
        await runtime.KillAsync();
        await runtime.DrainOutputAsync(s_outputDrainLimit, _time);
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
