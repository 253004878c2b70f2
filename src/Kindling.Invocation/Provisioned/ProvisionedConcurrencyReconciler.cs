using Kindling.Functions.Arns;
using Kindling.Functions.Errors;
using Kindling.Functions.Model;
using Kindling.Functions.Services;
using Kindling.Invocation.Environments;
using Kindling.Invocation.Frontend;
using Kindling.Invocation.Workers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kindling.Invocation.Provisioned;

/// <summary>
/// Turns the stored provisioned concurrency configurations into environments and their status. A full pass (at
/// start-up, so persisted configurations come back after a restart; on every put or delete; and every
/// <see cref="ProvisionedConcurrencyOptions.PassInterval"/>) resolves each qualifier (a version, or an alias's
/// version) to its pool key and gives the worker manager the target of each key: the configurations of a
/// version and of the aliases pointing at it share that version's environments, so their requests add up. Keys
/// no longer configured are set to 0, which releases their environments. Every pass then writes back each
/// configuration's Allocated/Available counts and Status; while environments are being launched the next pass
/// comes after <see cref="ProvisionedConcurrencyOptions.SettleInterval"/>.
/// </summary>
internal sealed class ProvisionedConcurrencyReconciler(
    ConcurrencyService configurations,
    FunctionStore functions,
    FunctionSpecs specs,
    WorkerManager manager,
    ProvisionedConcurrencySignal signal,
    ProvisionedConcurrencyOptions options,
    TimeProvider time,
    ILogger<ProvisionedConcurrencyReconciler> logger) : BackgroundService
{
    private const string InProgress = "IN_PROGRESS";
    private const string Ready = "READY";
    private const string Failed = "FAILED";

    // What the last full pass applied: the spec of each pool key it gave a target, and the pool key of each configuration.
    private Dictionary<string, FunctionSpec> _applied = new(StringComparer.Ordinal);
    private Dictionary<(string Function, string Qualifier), string> _poolKeys = [];
    private long _lastFullPass;

    private bool _settling;

    /// <summary>
    /// Runs the first full pass before the API serves: environments do not survive a restart, so every stored
    /// configuration is applied again and shows IN_PROGRESS with nothing allocated, not the previous run's READY.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _settling = await TryPassAsync(full: true, cancellationToken) ?? true;
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var full = false;
            while (true)
            {
                await WaitAsync(_settling ? options.SettleInterval : options.PassInterval, stoppingToken);
                full |= signal.TryConsume() || time.GetElapsedTime(_lastFullPass) >= options.PassInterval;
                var settling = await TryPassAsync(full, stoppingToken);
                // A failed pass is retried whole after the settle interval.
                _settling = settling ?? true;
                full = settling is null && full;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass, logged if it fails (null then).</summary>
    private async Task<bool?> TryPassAsync(bool full, CancellationToken cancellationToken)
    {
        try
        {
            return await PassAsync(full, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            ProvisionedLog.PassFailed(logger, ex);
            return null;
        }
    }

    /// <summary>One pass; true while some configuration is still being allocated.</summary>
    internal async Task<bool> PassAsync(bool full, CancellationToken cancellationToken)
    {
        var stored = await configurations.ListAllProvisionedAsync(cancellationToken);
        if (full)
        {
            await ApplyAsync(stored, cancellationToken);
        }

        var settling = false;
        foreach (var pool in stored
            .Where(c => _poolKeys.ContainsKey((c.FunctionName, c.Qualifier)))
            .GroupBy(c => _poolKeys[(c.FunctionName, c.Qualifier)], StringComparer.Ordinal))
        {
            var counts = manager.GetProvisionedCounts(pool.Key);
            // The environments of a shared pool are counted for its configurations in qualifier order.
            var unassigned = counts.Allocated;
            foreach (var (function, qualifier, config) in pool.OrderBy(c => c.Qualifier, StringComparer.Ordinal))
            {
                var requested = config.RequestedProvisionedConcurrentExecutions;
                var allocated = Math.Min(requested, unassigned);
                unassigned -= allocated;
                var status = allocated >= requested ? Ready : counts.Failure is null ? InProgress : Failed;
                // A FAILED configuration whose launch is being retried settles too: READY is written soon after.
                settling |= status == InProgress || (status == Failed && counts.Starting > 0);
                await configurations.UpdateProvisionedStatusAsync(
                    function, qualifier, requested, allocated, allocated, status, status == Failed ? counts.Failure : null, cancellationToken);
            }
        }

        return settling;
    }

    private async Task ApplyAsync(
        IReadOnlyList<(string FunctionName, string Qualifier, ProvisionedConcurrencyConfig Config)> stored, CancellationToken cancellationToken)
    {
        _lastFullPass = time.GetTimestamp();
        var targets = new Dictionary<string, (FunctionSpec Spec, int Environments)>(StringComparer.Ordinal);
        var poolKeys = new Dictionary<(string, string), string>();
        foreach (var (function, qualifier, config) in stored)
        {
            FunctionSpec spec;
            try
            {
                var resolved = await functions.ResolveAsync(new FunctionReference(function, qualifier), cancellationToken);
                spec = await specs.ForAsync(resolved.Version, cancellationToken);
            }
            catch (LambdaException ex)
            {
                // Deleted since the listing: the next pass no longer sees it.
                ProvisionedLog.ResolveFailed(logger, function, qualifier, ex);
                continue;
            }

            poolKeys[(function, qualifier)] = spec.PoolKey;
            var environments = targets.TryGetValue(spec.PoolKey, out var target) ? target.Environments : 0;
            targets[spec.PoolKey] = (spec, environments + config.RequestedProvisionedConcurrentExecutions);
        }

        foreach (var (poolKey, spec) in _applied)
        {
            if (!targets.ContainsKey(poolKey))
            {
                ProvisionedLog.Target(logger, poolKey, 0);
                manager.SetProvisionedConcurrency(spec, 0);
            }
        }

        foreach (var (poolKey, (spec, environments)) in targets)
        {
            if (!_applied.ContainsKey(poolKey) || manager.GetProvisionedCounts(poolKey).Requested != environments)
            {
                ProvisionedLog.Target(logger, poolKey, environments);
            }

            // Also when unchanged: launches what is missing (a failed launch is retried here, once per full pass).
            manager.SetProvisionedConcurrency(spec, environments);
        }

        _applied = targets.ToDictionary(t => t.Key, t => t.Value.Spec, StringComparer.Ordinal);
        _poolKeys = poolKeys;
    }

    private async Task WaitAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var signalled = signal.WaitAsync(wait.Token).AsTask();
        var elapsed = Task.Delay(interval, time, wait.Token);
        await Task.WhenAny(signalled, elapsed);
        await wait.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();
    }
}
