using Kindling.Functions.Errors;
using Kindling.Functions.Model;
using Kindling.Functions.Persistence;
using Kindling.Functions.Validation;
using Kindling.Storage.Metadata;

namespace Kindling.Functions.Services;

/// <summary>PublishVersion and ListVersionsByFunction.</summary>
public sealed class VersionService(FunctionStore functions, State.FunctionStateQueue stateQueue)
{
    /// <summary>
    /// PublishVersion: a new immutable version from <c>$LATEST</c>, or the latest published version when
    /// neither code nor configuration changed since.
    /// </summary>
    public async Task<FunctionConfiguration> PublishAsync(string functionName, PublishVersionRequest request, bool allowPending, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Length(request.Description, "description", 0, 256);
        errors.ThrowIfAny();
        var reference = functions.Parse(functionName, null);
        if (reference.Qualifier is not null)
        {
            throw LambdaErrors.InvalidParameter("Unsupported function name format: qualifiers are not allowed for this operation.");
        }

        var name = reference.Name;
        while (true)
        {
            var latest = await functions.RequireLatestAsync(name, cancellationToken);
            var meta = await functions.RequireMetaAsync(name, cancellationToken);
            var configuration = latest.Value.Configuration;
            if (latest.Value.Pending is { Kind: not "Create" } && !allowPending)
            {
                throw LambdaErrors.UpdateInProgress(configuration.FunctionArn);
            }

            if (request.CodeSha256 is not null && request.CodeSha256 != configuration.CodeSha256)
            {
                throw LambdaErrors.InvalidParameter(
                    $"CodeSHA256 ({request.CodeSha256}) is different from current CodeSHA256 in $LATEST ({configuration.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.");
            }

            if (request.RevisionId is not null && request.RevisionId != configuration.RevisionId)
            {
                throw LambdaErrors.RevisionMismatch();
            }

            if (meta.Value.LastVersion > 0
                && await functions.GetVersionAsync(name, meta.Value.LastVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken) is { } previous
                && previous.Value.SourceDescription == configuration.Description
                && SameContent(previous.Value.Configuration, configuration))
            {
                return previous.Value.Configuration;
            }

            var number = meta.Value.LastVersion + 1;
            var version = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var published = latest.Value with
            {
                Configuration = configuration with
                {
                    Version = version,
                    FunctionArn = functions.Account.FunctionArn(name, version),
                    Description = request.Description ?? configuration.Description,
                    RevisionId = Guid.NewGuid().ToString(),
                    LastUpdateStatus = latest.Value.Pending is null ? "Successful" : configuration.LastUpdateStatus,
                    LastUpdateStatusReason = null,
                    LastUpdateStatusReasonCode = null,
                },
                Pending = latest.Value.Pending is { } pending ? pending with { Previous = null } : null,
                SourceDescription = configuration.Description,
            };
            try
            {
                await functions.Documents.WriteAsync(
                    [
                        new CheckItem(Tables.Function, name, "$LATEST", latest.Version),
                        Documents.Put(Tables.FunctionMeta, name, "", meta.Value with { LastVersion = number }, meta.Version),
                        Documents.Put(Tables.Function, name, Tables.VersionKey(number), published, 0),
                    ],
                    cancellationToken);
                if (published.Pending is not null)
                {
                    stateQueue.Enqueue(name);
                }

                return published.Configuration;
            }
            catch (StoreConditionFailedException)
            {
                // $LATEST or the counter moved under us (a concurrent publish or the state check): read again.
            }
        }
    }

    /// <summary>ListVersionsByFunction: <c>$LATEST</c> then each version in order.</summary>
    public async Task<(IReadOnlyList<FunctionConfiguration> Versions, string? NextMarker)> ListAsync(
        string functionName, string? marker, int? maxItems, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Range(maxItems, "maxItems", 1, 10000);
        errors.ThrowIfAny();
        var reference = functions.Parse(functionName, null);
        _ = await functions.RequireLatestAsync(reference.Name, cancellationToken);
        var all = (await functions.Documents.QueryAsync<FunctionVersionRecord>(Tables.Function, reference.Name, cancellationToken))
            .Select(v => v.Value.Configuration)
            .Select(c => c.Version == "$LATEST" ? c with { FunctionArn = functions.Account.FunctionArn(c.FunctionName, "$LATEST") } : c)
            .ToList();
        return Pagination.Page(all, marker, maxItems);
    }

    private static bool SameContent(FunctionConfiguration a, FunctionConfiguration b)
    {
        static FunctionConfiguration Normalize(FunctionConfiguration c) => c with
        {
            Version = "",
            FunctionArn = "",
            Description = "",
            LastModified = "",
            RevisionId = "",
            State = null,
            StateReason = null,
            StateReasonCode = null,
            LastUpdateStatus = null,
            LastUpdateStatusReason = null,
            LastUpdateStatusReasonCode = null,
        };

        return System.Text.Json.JsonSerializer.Serialize(Normalize(a), LambdaJson.Options)
            == System.Text.Json.JsonSerializer.Serialize(Normalize(b), LambdaJson.Options);
    }
}
