using Kindling.Functions.Arns;
using Kindling.Functions.Errors;
using Kindling.Functions.Model;
using Kindling.Functions.Persistence;
using Kindling.Functions.Validation;

namespace Kindling.Functions.Services;

/// <summary>Reads functions, versions and aliases, resolving names and qualifiers the way Lambda does.</summary>
public sealed partial class FunctionStore(Documents documents, AccountContext account)
{
    /// <summary>The account the server presents.</summary>
    public AccountContext Account => account;

    /// <summary>The document access.</summary>
    public Documents Documents => documents;

    /// <summary>
    /// Parses a FunctionName path parameter (name, partial ARN or ARN) together with an optional
    /// <c>Qualifier</c> query parameter; a qualifier in both places must agree.
    /// </summary>
    public FunctionReference Parse(string functionName, string? qualifier, string member = "functionName")
    {
        var reference = FunctionReference.TryParse(functionName, account);
        if (reference is null)
        {
            var errors = new ValidationErrors();
            errors.Add(functionName, member, $"Member must satisfy regular expression pattern: {FunctionReference.Pattern}");
            errors.ThrowIfAny();
        }

        if (qualifier is not null)
        {
            if (!QualifierPattern().IsMatch(qualifier))
            {
                var errors = new ValidationErrors();
                errors.Add(qualifier, "qualifier", @"Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)");
                errors.ThrowIfAny();
            }

            if (reference!.Qualifier is not null && reference.Qualifier != qualifier)
            {
                throw LambdaErrors.InvalidParameter("The derived qualifier from the function name does not match the specified qualifier.");
            }

            return reference with { Qualifier = qualifier };
        }

        return reference!;
    }

    /// <summary>Parses a function name that must not carry a qualifier.</summary>
    public string ParseUnqualified(string functionName)
    {
        var reference = Parse(functionName, null);
        if (reference.Qualifier is not null)
        {
            throw LambdaErrors.InvalidParameter("Unsupported function name format: qualifiers are not allowed for this operation.");
        }

        return reference.Name;
    }

    /// <summary>
    /// Lists the per-qualifier documents of one function (event invoke configs, provisioned concurrency, URLs),
    /// paged with <c>Marker</c>/<c>MaxItems</c>; 404 when the function does not exist.
    /// </summary>
    public async Task<(IReadOnlyList<T> Items, string? NextMarker)> ListPerQualifierAsync<T>(
        string table, string functionName, string? marker, int? maxItems, int maxPageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Range(maxItems, "maxItems", 1, maxPageSize);
        errors.ThrowIfAny();
        var name = ParseUnqualified(functionName);
        _ = await RequireLatestAsync(name, cancellationToken);
        var items = (await documents.QueryAsync<T>(table, name, cancellationToken)).Select(i => i.Value).ToList();
        return Pagination.Page(items, marker, maxItems);
    }

    /// <summary>Reads <c>$LATEST</c>, or null.</summary>
    public ValueTask<Versioned<FunctionVersionRecord>?> GetLatestAsync(string name, CancellationToken cancellationToken) =>
        documents.GetAsync<FunctionVersionRecord>(Tables.Function, name, "$LATEST", cancellationToken);

    /// <summary>Reads <c>$LATEST</c> or throws the 404 Lambda returns.</summary>
    public async ValueTask<Versioned<FunctionVersionRecord>> RequireLatestAsync(string name, CancellationToken cancellationToken) =>
        await GetLatestAsync(name, cancellationToken) ?? throw LambdaErrors.FunctionNotFound(account.FunctionArn(name));

    /// <summary>Reads the function-level data, or throws 404.</summary>
    public async ValueTask<Versioned<FunctionMeta>> RequireMetaAsync(string name, CancellationToken cancellationToken) =>
        await documents.GetAsync<FunctionMeta>(Tables.FunctionMeta, name, "", cancellationToken)
        ?? throw LambdaErrors.FunctionNotFound(account.FunctionArn(name));

    /// <summary>Reads a published version, or null.</summary>
    public ValueTask<Versioned<FunctionVersionRecord>?> GetVersionAsync(string name, string version, CancellationToken cancellationToken) =>
        documents.GetAsync<FunctionVersionRecord>(Tables.Function, name, Tables.VersionKey(version), cancellationToken);

    /// <summary>Reads an alias, or null.</summary>
    public ValueTask<Versioned<AliasConfiguration>?> GetAliasAsync(string name, string alias, CancellationToken cancellationToken) =>
        documents.GetAsync<AliasConfiguration>(Tables.Alias, name, alias, cancellationToken);

    /// <summary>
    /// Resolves a reference to the version it designates (<c>$LATEST</c>, a number, or an alias's primary
    /// version); throws the 404 Lambda returns when any part is missing.
    /// </summary>
    public ValueTask<ResolvedFunction> ResolveAsync(FunctionReference reference, CancellationToken cancellationToken) =>
        ResolveAsync(reference, cached: false, cancellationToken);

    /// <summary>
    /// <see cref="ResolveAsync(FunctionReference, CancellationToken)"/> for the invoke path: served from memory while
    /// nothing has been written since (see <see cref="Documents.GetCachedAsync{T}"/>). The records returned are
    /// shared and must not be changed.
    /// </summary>
    public ValueTask<ResolvedFunction> ResolveForInvokeAsync(FunctionReference reference, CancellationToken cancellationToken) =>
        ResolveAsync(reference, cached: true, cancellationToken);

    /// <summary>Reads a published version for the invoke path (shared, not to be changed), or null.</summary>
    public ValueTask<Versioned<FunctionVersionRecord>?> GetVersionForInvokeAsync(string name, string version, CancellationToken cancellationToken) =>
        documents.GetCachedAsync<FunctionVersionRecord>(Tables.Function, name, Tables.VersionKey(version), cancellationToken);

    private async ValueTask<ResolvedFunction> ResolveAsync(FunctionReference reference, bool cached, CancellationToken cancellationToken)
    {
        ValueTask<Versioned<T>?> Read<T>(string table, string sort) => cached
            ? documents.GetCachedAsync<T>(table, reference.Name, sort, cancellationToken)
            : documents.GetAsync<T>(table, reference.Name, sort, cancellationToken);

        var qualifier = reference.Qualifier;
        if (qualifier is null or "$LATEST")
        {
            var latest = await Read<FunctionVersionRecord>(Tables.Function, "$LATEST")
                ?? throw LambdaErrors.FunctionNotFound(account.FunctionArn(reference.Name, qualifier));
            return new ResolvedFunction(reference.Name, qualifier, latest.Value, null);
        }

        if (IsVersionNumber(qualifier))
        {
            var version = await Read<FunctionVersionRecord>(Tables.Function, Tables.VersionKey(qualifier))
                ?? throw LambdaErrors.FunctionNotFound(account.FunctionArn(reference.Name, qualifier));
            return new ResolvedFunction(reference.Name, qualifier, version.Value, null);
        }

        var alias = await Read<AliasConfiguration>(Tables.Alias, qualifier)
            ?? throw LambdaErrors.FunctionNotFound(account.FunctionArn(reference.Name, qualifier));
        var target = await Read<FunctionVersionRecord>(Tables.Function, Tables.VersionKey(alias.Value.FunctionVersion));
        if (target is null)
        {
            throw LambdaErrors.FunctionNotFound(account.FunctionArn(reference.Name, qualifier));
        }

        return new ResolvedFunction(reference.Name, qualifier, target.Value, alias.Value);
    }

    /// <summary>True for a published version number such as <c>1</c>.</summary>
    public static bool IsVersionNumber(string qualifier) => qualifier.Length > 0 && qualifier.All(char.IsAsciiDigit);

    [System.Text.RegularExpressions.GeneratedRegex(@"^(|[a-zA-Z0-9$_-]+)$")]
    private static partial System.Text.RegularExpressions.Regex QualifierPattern();
}
