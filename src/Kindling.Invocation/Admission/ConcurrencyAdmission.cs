using Kindling.Functions.Services;

namespace Kindling.Invocation.Admission;

/// <summary>
/// Counts invocations in flight and admits each one, or refuses it with Lambda's throttle reason, before it
/// reaches the worker manager. A function with reserved concurrency R runs at most R at once and draws nothing
/// from the rest of the account; reserved 0 runs nothing. A function without reserved concurrency runs on its
/// provisioned environments first and beyond them on the unreserved pool, which every such function shares
/// (the account limit less every reservation and their provisioned concurrency). Synchronous invokes and
/// asynchronous events are counted alike.
/// </summary>
/// <remarks>
/// Plain logic under one lock: each decision is a few dictionary operations, and a single lock makes admission
/// exact under contention (never more than the limit in flight, never a refusal while capacity is free).
/// </remarks>
public sealed class ConcurrencyAdmission
{
    /// <summary>Throttle reason of a function held at its reserved concurrency.</summary>
    public const string ReservedLimitReason = "ReservedFunctionConcurrentInvocationLimitExceeded";

    /// <summary>Throttle reason of the account (its unreserved pool) being full.</summary>
    public const string AccountLimitReason = "ConcurrentInvocationLimitExceeded";

    /// <summary>
    /// Throttle reason of a function that needed a new environment beyond its scaling rate: Lambda's
    /// invocation-rate reasons, the reserved one for a function with reserved concurrency.
    /// </summary>
    public static string ScalingRateReason(bool reserved) =>
        reserved ? "ReservedFunctionInvocationRateLimitExceeded" : "FunctionInvocationRateLimitExceeded";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, FunctionState> _functions = new(StringComparer.Ordinal);

    // Σ max(0, in flight − provisioned) over the functions without reserved concurrency, with each function's
    // settings as last applied: the invocations that occupy the unreserved pool.
    private int _unreservedInUse;

    /// <summary>Invocations in flight now, over every function.</summary>
    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _functions.Values.Sum(f => f.InFlight);
            }
        }
    }

    /// <summary>Invocations of one function in flight now.</summary>
    public int InFlightOf(string functionName)
    {
        lock (_gate)
        {
            return _functions.TryGetValue(functionName, out var state) ? state.InFlight : 0;
        }
    }

    /// <summary>
    /// Admits one invocation of <paramref name="functionName"/> under <paramref name="settings"/>, or returns the
    /// reason it is throttled. An admitted invocation holds its place until the lease is disposed.
    /// </summary>
    public bool TryEnter(string functionName, ConcurrencySnapshot settings, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AdmissionLease? lease, out string? throttleReason)
    {
        ArgumentNullException.ThrowIfNull(functionName);
        ArgumentNullException.ThrowIfNull(settings);
        var function = settings.For(functionName);
        lock (_gate)
        {
            if (!_functions.TryGetValue(functionName, out var state))
            {
                state = new FunctionState { Settings = function };
                _functions[functionName] = state;
            }
            else if (state.Settings != function)
            {
                // Settings changed while invocations were in flight: move the function's share of the pool over.
                _unreservedInUse += UnreservedShare(state.InFlight, function) - UnreservedShare(state.InFlight, state.Settings);
                state.Settings = function;
            }

            var added = UnreservedShare(state.InFlight + 1, function) - UnreservedShare(state.InFlight, function);
            throttleReason = function.Reserved is { } reserved
                ? state.InFlight >= reserved ? ReservedLimitReason : null
                : added > 0 && _unreservedInUse >= settings.UnreservedPool ? AccountLimitReason : null;
            if (throttleReason is not null)
            {
                RemoveIfIdle(functionName, state);
                lease = null;
                return false;
            }

            _unreservedInUse += added;
            state.InFlight++;
        }

        lease = new AdmissionLease(this, functionName);
        return true;
    }

    internal void Exit(string functionName)
    {
        lock (_gate)
        {
            var state = _functions[functionName];
            _unreservedInUse -= UnreservedShare(state.InFlight, state.Settings) - UnreservedShare(state.InFlight - 1, state.Settings);
            state.InFlight--;
            RemoveIfIdle(functionName, state);
        }
    }

    private static int UnreservedShare(int inFlight, FunctionConcurrency function) =>
        function.Reserved is null ? Math.Max(0, inFlight - function.Provisioned) : 0;

    private void RemoveIfIdle(string functionName, FunctionState state)
    {
        if (state.InFlight == 0)
        {
            _functions.Remove(functionName);
        }
    }

    private sealed class FunctionState
    {
        public int InFlight { get; set; }

        public FunctionConcurrency Settings { get; set; }
    }
}

/// <summary>An admitted invocation's place; disposing it gives the place back (once).</summary>
public sealed class AdmissionLease : IDisposable
{
    private ConcurrencyAdmission? _admission;
    private readonly string _functionName;

    internal AdmissionLease(ConcurrencyAdmission admission, string functionName)
    {
        _admission = admission;
        _functionName = functionName;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Interlocked.Exchange(ref _admission, null)?.Exit(_functionName);
    }
}
