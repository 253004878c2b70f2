using Kindling.Functions.Arns;
using Kindling.Functions.Errors;
using Kindling.Functions.Model;
using Kindling.Functions.Persistence;
using Kindling.Functions.Validation;
using Kindling.Storage.Metadata;

namespace Kindling.Functions.Services;

/// <summary>
/// Reserved concurrency (Put/Get/Delete) and provisioned concurrency configurations. Every change is announced
/// through <see cref="ConcurrencySettings.Invalidate"/>, which also wakes the invocation side's reconciler that
/// allocates provisioned environments and writes their status back here.
/// </summary>
public sealed class ConcurrencyService(FunctionStore functions, AccountLimits limits, ConcurrencySettings settings, TimeProvider time)
{
    /// <summary>The sum of every function's reserved concurrency, optionally leaving one function out.</summary>
    public async Task<int> TotalReservedAsync(string? except, CancellationToken cancellationToken)
    {
        var total = 0;
        await foreach (var (key, meta) in functions.Documents.ScanAllAsync<FunctionMeta>(Tables.FunctionMeta, cancellationToken))
        {
            if (key.Partition != except)
            {
                total += meta.ReservedConcurrentExecutions ?? 0;
            }
        }

        return total;
    }

    /// <summary>PutFunctionConcurrency.</summary>
    public async Task<Concurrency> PutReservedAsync(string functionName, Concurrency request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required(request.ReservedConcurrentExecutions, "reservedConcurrentExecutions");
        errors.Range(request.ReservedConcurrentExecutions, "reservedConcurrentExecutions", 0, long.MaxValue);
        errors.ThrowIfAny();
        var name = functions.ParseUnqualified(functionName);
        while (true)
        {
            var meta = await functions.RequireMetaAsync(name, cancellationToken);
            var others = await TotalReservedAsync(name, cancellationToken);
            if (limits.ConcurrentExecutions - others - request.ReservedConcurrentExecutions!.Value < limits.MinimumUnreservedConcurrency)
            {
                throw LambdaErrors.InvalidParameter(
                    $"Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [{limits.MinimumUnreservedConcurrency}].");
            }

            try
            {
                await functions.Documents.WriteAsync(
                    Documents.Put(Tables.FunctionMeta, name, "", meta.Value with { ReservedConcurrentExecutions = request.ReservedConcurrentExecutions }, meta.Version),
                    cancellationToken);
                settings.Invalidate();
                return request;
            }
            catch (StoreConditionFailedException)
            {
                // The function's metadata changed meanwhile: check again.
            }
        }
    }

    /// <summary>GetFunctionConcurrency (an empty object when none is set).</summary>
    public async Task<Concurrency> GetReservedAsync(string functionName, CancellationToken cancellationToken)
    {
        var name = functions.ParseUnqualified(functionName);
        var meta = await functions.RequireMetaAsync(name, cancellationToken);
        return new Concurrency(meta.Value.ReservedConcurrentExecutions);
    }

    /// <summary>DeleteFunctionConcurrency.</summary>
    public async Task DeleteReservedAsync(string functionName, CancellationToken cancellationToken)
    {
        var name = functions.ParseUnqualified(functionName);
        while (true)
        {
            var meta = await functions.RequireMetaAsync(name, cancellationToken);
            try
            {
                await functions.Documents.WriteAsync(
                    Documents.Put(Tables.FunctionMeta, name, "", meta.Value with { ReservedConcurrentExecutions = null }, meta.Version),
                    cancellationToken);
                settings.Invalidate();
                return;
            }
            catch (StoreConditionFailedException)
            {
                // Changed meanwhile: retry.
            }
        }
    }

    /// <summary>PutProvisionedConcurrencyConfig.</summary>
    public async Task<ProvisionedConcurrencyConfig> PutProvisionedAsync(string functionName, string? qualifier, ProvisionedConcurrencyRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required(qualifier, "qualifier");
        errors.Required(request.ProvisionedConcurrentExecutions, "provisionedConcurrentExecutions");
        errors.Range(request.ProvisionedConcurrentExecutions, "provisionedConcurrentExecutions", 1, long.MaxValue);
        errors.ThrowIfAny();
        var (name, q) = await RequirePublishedQualifierAsync(functionName, qualifier!, cancellationToken);
        var meta = await functions.RequireMetaAsync(name, cancellationToken);
        var others = (await functions.Documents.QueryAsync<ProvisionedConcurrencyConfig>(Tables.ProvisionedConcurrency, name, cancellationToken))
            .Where(p => p.Value.FunctionArn != functions.Account.FunctionArn(name, q))
            .Sum(p => p.Value.RequestedProvisionedConcurrentExecutions);
        var requested = request.ProvisionedConcurrentExecutions!.Value;
        if (meta.Value.ReservedConcurrentExecutions is { } reserved && others + requested > reserved)
        {
            throw LambdaErrors.InvalidParameter(
                "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function");
        }

        if (meta.Value.ReservedConcurrentExecutions is null)
        {
            var unreserved = limits.ConcurrentExecutions - await TotalReservedAsync(null, cancellationToken) - others;
            if (unreserved - requested < limits.MinimumUnreservedConcurrency)
            {
                throw LambdaErrors.InvalidParameter(
                    $"Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [{unreserved}].");
            }
        }

        var config = new ProvisionedConcurrencyConfig
        {
            RequestedProvisionedConcurrentExecutions = requested,
            AllocatedProvisionedConcurrentExecutions = 0,
            AvailableProvisionedConcurrentExecutions = 0,
            Status = "IN_PROGRESS",
            LastModified = Timestamps.Format(time.GetUtcNow()),
            FunctionArn = functions.Account.FunctionArn(name, q),
        };
        await functions.Documents.WriteAsync(Documents.Put(Tables.ProvisionedConcurrency, name, q, config, null), cancellationToken);
        settings.Invalidate();
        return config with { FunctionArn = null };
    }

    /// <summary>GetProvisionedConcurrencyConfig.</summary>
    public async Task<ProvisionedConcurrencyConfig> GetProvisionedAsync(string functionName, string? qualifier, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required(qualifier, "qualifier");
        errors.ThrowIfAny();
        var (name, q) = await RequirePublishedQualifierAsync(functionName, qualifier!, cancellationToken);
        var config = await functions.Documents.GetAsync<ProvisionedConcurrencyConfig>(Tables.ProvisionedConcurrency, name, q, cancellationToken)
            ?? throw ProvisionedNotFound();
        return config.Value with { FunctionArn = null };
    }

    /// <summary>DeleteProvisionedConcurrencyConfig.</summary>
    public async Task DeleteProvisionedAsync(string functionName, string? qualifier, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required(qualifier, "qualifier");
        errors.ThrowIfAny();
        var (name, q) = await RequirePublishedQualifierAsync(functionName, qualifier!, cancellationToken);
        while (true)
        {
            var config = await functions.Documents.GetAsync<ProvisionedConcurrencyConfig>(Tables.ProvisionedConcurrency, name, q, cancellationToken)
                ?? throw ProvisionedNotFound();
            try
            {
                await functions.Documents.WriteAsync(new DeleteItem(Tables.ProvisionedConcurrency, name, q, config.Version), cancellationToken);
                settings.Invalidate();
                return;
            }
            catch (StoreConditionFailedException)
            {
                // Its status was written back meanwhile: read it again.
            }
        }
    }

    /// <summary>ListProvisionedConcurrencyConfigs.</summary>
    public Task<(IReadOnlyList<ProvisionedConcurrencyConfig> Items, string? NextMarker)> ListProvisionedAsync(
        string functionName, string? marker, int? maxItems, CancellationToken cancellationToken)
        => functions.ListPerQualifierAsync<ProvisionedConcurrencyConfig>(Tables.ProvisionedConcurrency, functionName, marker, maxItems, 50, cancellationToken);

    /// <summary>Every provisioned concurrency configuration of the account, with the function and qualifier it belongs to.</summary>
    public async Task<IReadOnlyList<(string FunctionName, string Qualifier, ProvisionedConcurrencyConfig Config)>> ListAllProvisionedAsync(CancellationToken cancellationToken)
    {
        var all = new List<(string, string, ProvisionedConcurrencyConfig)>();
        await foreach (var (key, config) in functions.Documents.ScanAllAsync<ProvisionedConcurrencyConfig>(Tables.ProvisionedConcurrency, cancellationToken))
        {
            all.Add((key.Partition, key.Sort, config));
        }

        return all;
    }

    /// <summary>
    /// Writes the allocation status of a configuration (counts, <c>Status</c>, <c>StatusReason</c>; LastModified
    /// stays the user's). Written only if the stored configuration still requests <paramref name="requested"/>
    /// environments and differs; a concurrent put or delete wins (conditional write on the stored version).
    /// Returns false when nothing was written.
    /// </summary>
    public async Task<bool> UpdateProvisionedStatusAsync(
        string functionName, string qualifier, int requested, int allocated, int available, string status, string? statusReason, CancellationToken cancellationToken)
    {
        while (true)
        {
            var stored = await functions.Documents.GetAsync<ProvisionedConcurrencyConfig>(Tables.ProvisionedConcurrency, functionName, qualifier, cancellationToken);
            if (stored is null || stored.Value.RequestedProvisionedConcurrentExecutions != requested)
            {
                return false;
            }

            var updated = stored.Value with
            {
                AllocatedProvisionedConcurrentExecutions = allocated,
                AvailableProvisionedConcurrentExecutions = available,
                Status = status,
                StatusReason = statusReason,
            };
            if (updated == stored.Value)
            {
                return false;
            }

            try
            {
                await functions.Documents.WriteAsync(Documents.Put(Tables.ProvisionedConcurrency, functionName, qualifier, updated, stored.Version), cancellationToken);
                return true;
            }
            catch (StoreConditionFailedException)
            {
                // Put or deleted meanwhile: look again.
            }
        }
    }

    private async Task<(string Name, string Qualifier)> RequirePublishedQualifierAsync(string functionName, string qualifier, CancellationToken cancellationToken)
    {
        var reference = functions.Parse(functionName, qualifier);
        if (reference.Qualifier == "$LATEST")
        {
            throw LambdaErrors.InvalidParameter("Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
        }

        _ = await functions.ResolveAsync(reference, cancellationToken);
        return (reference.Name, reference.Qualifier!);
    }

    private static LambdaException ProvisionedNotFound() =>
        new(System.Net.HttpStatusCode.NotFound, "ProvisionedConcurrencyConfigNotFoundException", "No Provisioned Concurrency Config found for this function");
}
