using Kindling.Functions.Arns;
using Kindling.Functions.Model;

namespace Kindling.Functions.Services;

/// <summary>One function's concurrency settings as admission needs them.</summary>
/// <param name="Reserved">Its reserved concurrency, or null when it draws on the unreserved pool.</param>
/// <param name="Provisioned">The provisioned concurrency requested over all its versions and aliases.</param>
public readonly record struct FunctionConcurrency(int? Reserved, int Provisioned);

/// <summary>The account's concurrency settings at one moment, for admission.</summary>
public sealed class ConcurrencySnapshot
{
    private readonly IReadOnlyDictionary<string, FunctionConcurrency> _functions;

    /// <summary>Creates a snapshot of the account's limit and the functions' settings (functions not named have none).</summary>
    public ConcurrencySnapshot(long generation, int accountLimit, IReadOnlyDictionary<string, FunctionConcurrency> functions)
    {
        ArgumentNullException.ThrowIfNull(functions);
        Generation = generation;
        AccountLimit = accountLimit;
        _functions = functions;
        foreach (var settings in functions.Values)
        {
            if (settings.Reserved is { } reserved)
            {
                TotalReserved += reserved;
            }
            else
            {
                ProvisionedOutsideReservations += settings.Provisioned;
            }
        }
    }

    /// <summary>Which change of the settings this snapshot reflects.</summary>
    public long Generation { get; }

    /// <summary>The account's concurrency limit.</summary>
    public int AccountLimit { get; }

    /// <summary>The sum of every function's reserved concurrency.</summary>
    public int TotalReserved { get; }

    /// <summary>The provisioned concurrency of functions without reserved concurrency: carved out of the unreserved pool.</summary>
    public int ProvisionedOutsideReservations { get; }

    /// <summary>
    /// What functions without reserved concurrency share beyond their provisioned environments: the account limit
    /// less every reservation and their provisioned concurrency.
    /// </summary>
    public int UnreservedPool => Math.Max(0, AccountLimit - TotalReserved - ProvisionedOutsideReservations);

    /// <summary>A function's settings (none reserved or provisioned when it has none stored).</summary>
    public FunctionConcurrency For(string functionName) => _functions.GetValueOrDefault(functionName);
}

/// <summary>
/// Keeps the account's reserved and provisioned concurrency in memory for the invoke path, which must not scan
/// the store. Every change to them calls <see cref="Invalidate"/> after its write commits; the next read then
/// loads a new snapshot, so an invoke that follows a change always sees it. Changes that can move provisioned
/// environments (a configuration put or deleted; a function, version or alias deleted; an alias moved) also wake
/// <paramref name="provisioned"/> when one is registered.
/// </summary>
public sealed class ConcurrencySettings(FunctionStore functions, AccountLimits limits, IProvisionedConcurrencyNotifier? provisioned = null)
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private long _generation;
    private volatile ConcurrencySnapshot? _current;

    /// <summary>Marks the settings changed (call after the change has committed).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        provisioned?.ProvisionedConcurrencyChanged();
    }

    /// <summary>The current settings, loaded from the store when they changed since the last load.</summary>
    public async ValueTask<ConcurrencySnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && current.Generation == Volatile.Read(ref _generation))
        {
            return current;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            var generation = Volatile.Read(ref _generation);
            current = _current;
            if (current is not null && current.Generation == generation)
            {
                return current;
            }

            // A change that commits during the load bumps the generation again: this snapshot is then stale at
            // once and the next read loads another.
            current = new ConcurrencySnapshot(generation, limits.ConcurrentExecutions, await LoadAsync(cancellationToken));
            _current = current;
            return current;
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task<Dictionary<string, FunctionConcurrency>> LoadAsync(CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, FunctionConcurrency>(StringComparer.Ordinal);
        await foreach (var (key, meta) in functions.Documents.ScanAllAsync<FunctionMeta>(Tables.FunctionMeta, cancellationToken))
        {
            if (meta.ReservedConcurrentExecutions is { } reserved)
            {
                settings[key.Partition] = new FunctionConcurrency(reserved, 0);
            }
        }

        await foreach (var (key, config) in functions.Documents.ScanAllAsync<ProvisionedConcurrencyConfig>(Tables.ProvisionedConcurrency, cancellationToken))
        {
            var existing = settings.GetValueOrDefault(key.Partition);
            settings[key.Partition] = existing with { Provisioned = existing.Provisioned + config.RequestedProvisionedConcurrentExecutions };
        }

        return settings;
    }
}
