using Kindling.Functions.Model;
using Kindling.Functions.Packages;
using Kindling.Functions.Persistence;
using Kindling.Functions.Services;
using Kindling.Storage.Code;
using Kindling.Storage.Metadata;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kindling.Functions.State;

/// <summary>
/// The background half of CreateFunction and the updates: verifies the archive and the entrypoint, then moves
/// each pending version to Active/Successful or Failed. At start it picks up work a crash left pending.
/// </summary>
public sealed partial class FunctionStateReconciler(
    FunctionStateQueue queue,
    FunctionStore functions,
    LayerService layers,
    ICodeStore code,
    EventSourceMappingService mappings,
    IEnumerable<ISettledVersionObserver> observers,
    TimeProvider time,
    ILogger<FunctionStateReconciler> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RecoverAsync(stoppingToken);
        await foreach (var name in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                if (name.StartsWith(FunctionStateQueue.MappingPrefix, StringComparison.Ordinal))
                {
                    await mappings.SettleAsync(name[FunctionStateQueue.MappingPrefix.Length..], stoppingToken);
                    continue;
                }

                await ReconcileAsync(name, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReconcileFailed(logger, name, ex);
            }
        }
    }

    /// <summary>Settles every pending version of one function.</summary>
    public async Task ReconcileAsync(string name, CancellationToken cancellationToken)
    {
        var versions = await functions.Documents.QueryAsync<FunctionVersionRecord>(Tables.Function, name, cancellationToken);
        var settled = new List<string>();
        foreach (var version in versions.Where(v => v.Value.Pending is not null))
        {
            var outcome = await CheckAsync(version.Value, cancellationToken);
            var key = Tables.VersionKey(version.Value.Configuration.Version);
            // A version published from an update that then failed never becomes usable: it goes away, as if
            // the publish had not happened (its number is not reused).
            var write = outcome is not null && version.Value.Pending!.Kind != "Create" && version.Value.Configuration.Version != "$LATEST"
                ? (StoreWrite)new DeleteItem(Tables.Function, name, key, version.Version)
                : Documents.Put(Tables.Function, name, key, Settle(version.Value, outcome), version.Version);
            try
            {
                await functions.Documents.WriteAsync(write, cancellationToken);
                settled.Add(version.Value.Configuration.Version);
            }
            catch (StoreConditionFailedException)
            {
                // Changed meanwhile (deleted, or published from): look again.
                queue.Enqueue(name);
                return;
            }
        }

        // A deploy is usually followed by an invoke: it finds the settled versions in the invoke path's cache (reading
        // and parsing one there costs a cold start ~0.25 ms), unless something else is written meanwhile, and what the
        // observers prepare from them (the environment's spec).
        foreach (var version in settled)
        {
            if (await functions.GetVersionForInvokeAsync(name, version, cancellationToken) is { Value: { Configuration.State: "Active" } record })
            {
                await NotifySettledAsync(record, cancellationToken);
            }
        }
    }

    private async Task NotifySettledAsync(FunctionVersionRecord record, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
        {
            try
            {
                await observer.OnSettledAsync(record, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogObserverFailed(logger, record.Configuration.FunctionName, record.Configuration.Version, ex);
            }
        }
    }

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var (key, record) in functions.Documents.ScanAllAsync<FunctionVersionRecord>(Tables.Function, cancellationToken))
        {
            if (record.Pending is not null)
            {
                names.Add(key.Partition);
            }
        }

        foreach (var name in names)
        {
            queue.Enqueue(name);
        }
    }

    private async Task<(string Code, string Reason)?> CheckAsync(FunctionVersionRecord record, CancellationToken cancellationToken)
    {
        var zip = await code.ReadAsync(record.CodeId, cancellationToken);
        if (ZipPackage.Verify(zip) is { } zipError)
        {
            return ("InvalidZipFileException", zipError);
        }

        var configuration = record.Configuration;
        var layerFiles = new List<IReadOnlySet<string>>();
        try
        {
            foreach (var layer in await layers.ResolveAsync(configuration.Layers?.Select(l => l.Arn).ToList(), cancellationToken))
            {
                layerFiles.Add(ZipPackage.Inspect(await code.ReadAsync(layer.CodeId, cancellationToken)).Files);
            }
        }
        catch (Errors.LambdaException ex)
        {
            return ("InvalidConfiguration", ex.Message);
        }

        var missing = EntrypointCheck.Find(configuration.Runtime, configuration.Handler, ZipPackage.Inspect(zip).Files, layerFiles);
        return missing is null ? null : ("InvalidConfiguration", missing);
    }

    private FunctionVersionRecord Settle(FunctionVersionRecord record, (string Code, string Reason)? failure)
    {
        var pending = record.Pending!;
        var configuration = record.Configuration;
        var revision = Guid.NewGuid().ToString();
        if (pending.Kind == "Create")
        {
            return record with
            {
                Pending = null,
                Configuration = configuration with
                {
                    RevisionId = revision,
                    State = failure is null ? "Active" : "Failed",
                    StateReason = failure?.Reason,
                    StateReasonCode = failure?.Code,
                    LastUpdateStatus = failure is null ? "Successful" : "Failed",
                    LastUpdateStatusReason = failure?.Reason,
                    LastUpdateStatusReasonCode = failure?.Code,
                },
            };
        }

        if (failure is null)
        {
            return record with
            {
                Pending = null,
                Configuration = configuration with
                {
                    RevisionId = revision,
                    // A function whose creation failed becomes usable once an update succeeds.
                    State = "Active",
                    StateReason = null,
                    StateReasonCode = null,
                    LastUpdateStatus = "Successful",
                    LastUpdateStatusReason = null,
                    LastUpdateStatusReasonCode = null,
                },
            };
        }

        // A failed update leaves the function running what it ran before.
        var previous = pending.Previous ?? record;
        return previous with
        {
            Pending = null,
            Configuration = previous.Configuration with
            {
                RevisionId = revision,
                LastModified = Timestamps.Format(time.GetUtcNow()),
                LastUpdateStatus = "Failed",
                LastUpdateStatusReason = failure.Value.Reason,
                LastUpdateStatusReasonCode = failure.Value.Code,
            },
        };
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Settling the state of function {Name} failed")]
    private static partial void LogReconcileFailed(ILogger logger, string name, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Preparing invokes of {Name}:{Version} after its deploy failed")]
    private static partial void LogObserverFailed(ILogger logger, string name, string version, Exception exception);
}
