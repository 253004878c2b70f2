using System.Text.RegularExpressions;
using Kindling.Functions.Errors;
using Kindling.Functions.Model;
using Kindling.Functions.Persistence;
using Kindling.Functions.Validation;
using Kindling.Storage.Metadata;

namespace Kindling.Functions.Services;

/// <summary>CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases.</summary>
public sealed partial class AliasService(FunctionStore functions, ConcurrencySettings concurrency)
{
    private const string NamePattern = "(?!^[0-9]+$)([a-zA-Z0-9-_]+)";
    private const string VersionPattern = @"(\$LATEST|[0-9]+)";

    /// <summary>CreateAlias.</summary>
    public async Task<AliasConfiguration> CreateAsync(string functionName, AliasRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required(request.Name, "name");
        errors.Required(request.FunctionVersion, "functionVersion");
        CheckSchema(request, errors);
        errors.ThrowIfAny();
        var name = functions.ParseUnqualified(functionName);
        _ = await functions.RequireLatestAsync(name, cancellationToken);
        await CheckVersionsAsync(name, request.FunctionVersion!, request.RoutingConfig, cancellationToken);
        var alias = new AliasConfiguration
        {
            AliasArn = functions.Account.FunctionArn(name, request.Name),
            Name = request.Name!,
            FunctionVersion = request.FunctionVersion!,
            Description = request.Description ?? "",
            RoutingConfig = Normalize(request.RoutingConfig),
            RevisionId = Guid.NewGuid().ToString(),
        };
        try
        {
            await functions.Documents.WriteAsync(Documents.Put(Tables.Alias, name, alias.Name, alias, 0), cancellationToken);
        }
        catch (StoreConditionFailedException)
        {
            throw LambdaErrors.Conflict($"Alias already exists: {alias.AliasArn}");
        }

        return alias;
    }

    /// <summary>GetAlias.</summary>
    public async Task<AliasConfiguration> GetAsync(string functionName, string aliasName, CancellationToken cancellationToken)
    {
        var name = functions.ParseUnqualified(functionName);
        CheckName(aliasName);
        _ = await functions.RequireLatestAsync(name, cancellationToken);
        return (await RequireAsync(name, aliasName, cancellationToken)).Value;
    }

    /// <summary>UpdateAlias: changes only what is given.</summary>
    public async Task<AliasConfiguration> UpdateAsync(string functionName, string aliasName, AliasRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        CheckSchema(request with { Name = aliasName }, errors);
        errors.ThrowIfAny();
        var name = functions.ParseUnqualified(functionName);
        _ = await functions.RequireLatestAsync(name, cancellationToken);
        var current = await RequireAsync(name, aliasName, cancellationToken);
        if (request.RevisionId is not null && request.RevisionId != current.Value.RevisionId)
        {
            throw LambdaErrors.RevisionMismatch();
        }

        var version = request.FunctionVersion ?? current.Value.FunctionVersion;
        var routing = request.RoutingConfig is null ? current.Value.RoutingConfig : Normalize(request.RoutingConfig);
        await CheckVersionsAsync(name, version, routing, cancellationToken);
        var updated = current.Value with
        {
            FunctionVersion = version,
            Description = request.Description ?? current.Value.Description,
            RoutingConfig = routing,
            RevisionId = Guid.NewGuid().ToString(),
        };
        try
        {
            await functions.Documents.WriteAsync(Documents.Put(Tables.Alias, name, aliasName, updated, current.Version), cancellationToken);
        }
        catch (StoreConditionFailedException)
        {
            throw LambdaErrors.RevisionMismatch();
        }

        if (version != current.Value.FunctionVersion)
        {
            // Its provisioned environments move to the new version.
            concurrency.Invalidate();
        }

        return updated;
    }

    /// <summary>DeleteAlias (idempotent).</summary>
    public async Task DeleteAsync(string functionName, string aliasName, CancellationToken cancellationToken)
    {
        var name = functions.ParseUnqualified(functionName);
        CheckName(aliasName);
        _ = await functions.RequireLatestAsync(name, cancellationToken);
        await functions.Documents.WriteAsync(
            [
                new DeleteItem(Tables.Alias, name, aliasName),
                new DeleteItem(Tables.Policy, name, aliasName),
                new DeleteItem(Tables.EventInvokeConfig, name, aliasName),
                new DeleteItem(Tables.ProvisionedConcurrency, name, aliasName),
                new DeleteItem(Tables.FunctionUrl, name, aliasName),
            ],
            cancellationToken);
        concurrency.Invalidate();
    }

    /// <summary>ListAliases, optionally only those whose primary version is <paramref name="functionVersion"/>.</summary>
    public async Task<(IReadOnlyList<AliasConfiguration> Aliases, string? NextMarker)> ListAsync(
        string functionName, string? functionVersion, string? marker, int? maxItems, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Pattern(functionVersion, "functionVersion", VersionRegex(), VersionPattern);
        errors.Range(maxItems, "maxItems", 1, 10000);
        errors.ThrowIfAny();
        var name = functions.ParseUnqualified(functionName);
        _ = await functions.RequireLatestAsync(name, cancellationToken);
        var aliases = (await functions.Documents.QueryAsync<AliasConfiguration>(Tables.Alias, name, cancellationToken))
            .Select(a => a.Value)
            .Where(a => functionVersion is null || a.FunctionVersion == functionVersion)
            .ToList();
        return Pagination.Page(aliases, marker, maxItems);
    }

    private async Task<Versioned<AliasConfiguration>> RequireAsync(string name, string alias, CancellationToken cancellationToken) =>
        await functions.GetAliasAsync(name, alias, cancellationToken)
        ?? throw LambdaErrors.NotFound($"Cannot find alias arn: {functions.Account.FunctionArn(name, alias)}");

    private async Task CheckVersionsAsync(string name, string version, AliasRoutingConfiguration? routing, CancellationToken cancellationToken)
    {
        if (version != "$LATEST" && await functions.GetVersionAsync(name, version, cancellationToken) is null)
        {
            throw LambdaErrors.FunctionNotFound(functions.Account.FunctionArn(name, version));
        }

        if (routing?.AdditionalVersionWeights is not { Count: > 0 } weights)
        {
            return;
        }

        if (weights.Count > 1)
        {
            throw LambdaErrors.InvalidParameter("Number of items in AdditionalVersionWeights cannot be greater than 1");
        }

        var (extra, _) = weights.First();
        if (version == "$LATEST" || extra == "$LATEST")
        {
            throw LambdaErrors.InvalidParameter("$LATEST is not supported for an alias pointing to more than 1 version");
        }

        if (extra == version)
        {
            throw LambdaErrors.InvalidParameter($"Invalid function version {extra}. Function version {extra} is already included in routing configuration.");
        }

        if (!FunctionStore.IsVersionNumber(extra) || await functions.GetVersionAsync(name, extra, cancellationToken) is null)
        {
            throw LambdaErrors.InvalidParameter($"Function version {extra} does not exist.");
        }
    }

    private static AliasRoutingConfiguration? Normalize(AliasRoutingConfiguration? routing) =>
        routing?.AdditionalVersionWeights is { Count: > 0 } ? routing : null;

    private static void CheckSchema(AliasRequest request, ValidationErrors errors)
    {
        errors.Length(request.Name, "name", 1, 128);
        errors.Pattern(request.Name, "name", NameRegex(), NamePattern);
        errors.Length(request.FunctionVersion, "functionVersion", 1, 1024);
        errors.Pattern(request.FunctionVersion, "functionVersion", VersionRegex(), VersionPattern);
        errors.Length(request.Description, "description", 0, 256);
        if (request.RoutingConfig?.AdditionalVersionWeights is { Count: > 0 } weights)
        {
            // Lambda shows the whole map as Java prints it: {2=1.5}.
            var shown = "{" + string.Join(", ", weights.Select(w => $"{w.Key}={w.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}")) + "}";
            if (weights.Keys.Any(v => v.Length is 0 or > 1024 || !v.All(char.IsAsciiDigit)))
            {
                errors.Add(shown, "routingConfig.additionalVersionWeights",
                    "Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null]");
            }

            if (weights.Values.Any(w => w is < 0.0 or > 1.0))
            {
                errors.Add(shown, "routingConfig.additionalVersionWeights",
                    "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]");
            }
        }
    }

    private static void CheckName(string aliasName)
    {
        var errors = new ValidationErrors();
        errors.Length(aliasName, "name", 1, 128);
        errors.Pattern(aliasName, "name", NameRegex(), NamePattern);
        errors.ThrowIfAny();
    }

    [GeneratedRegex("^" + NamePattern + "$")]
    private static partial Regex NameRegex();

    [GeneratedRegex("^" + VersionPattern + "$")]
    private static partial Regex VersionRegex();
}
