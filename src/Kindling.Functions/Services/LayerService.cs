using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kindling.Functions.Arns;
using Kindling.Functions.Errors;
using Kindling.Functions.Model;
using Kindling.Functions.Packages;
using Kindling.Functions.Persistence;
using Kindling.Functions.Runtimes;
using Kindling.Functions.Validation;
using Kindling.Storage.Code;
using Kindling.Storage.Metadata;

namespace Kindling.Functions.Services;

/// <summary>Layers: publish, get, list, delete, and their permissions.</summary>
public sealed partial class LayerService(Documents documents, AccountContext account, ICodeStore code, ICodeLocations locations, TimeProvider time)
{
    private const string NamePattern = @"(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+";

    /// <summary>Resolves layer version ARNs to their stored versions, in order.</summary>
    public async Task<IReadOnlyList<LayerVersionRecord>> ResolveAsync(IReadOnlyList<string>? arns, CancellationToken cancellationToken)
    {
        if (arns is null)
        {
            return [];
        }

        var result = new List<LayerVersionRecord>(arns.Count);
        foreach (var arn in arns)
        {
            var record = await FindByArnAsync(arn, cancellationToken)
                ?? throw LambdaErrors.InvalidParameter($"Layer version {arn} does not exist.");
            result.Add(record);
        }

        return result;
    }

    /// <summary>PublishLayerVersion.</summary>
    public async Task<LayerVersion> PublishAsync(string layerName, PublishLayerVersionRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = CheckName(layerName, errors);
        errors.Required(request.Content, "content");
        errors.Length(request.Description, "description", 0, 256);
        errors.Length(request.LicenseInfo, "licenseInfo", 0, 512);
        if (request.CompatibleRuntimes is { Count: > 15 } runtimes)
        {
            errors.Add(runtimes, "compatibleRuntimes", "Member must have length less than or equal to 15");
        }

        for (var i = 0; i < (request.CompatibleRuntimes?.Count ?? 0); i++)
        {
            errors.Enum(request.CompatibleRuntimes![i], $"compatibleRuntimes.{i + 1}.member", RuntimeCatalog.LambdaRuntimes);
        }

        if (request.CompatibleArchitectures is { Count: > 2 } architectures)
        {
            errors.Add(architectures, "compatibleArchitectures", "Member must have length less than or equal to 2");
        }

        for (var i = 0; i < (request.CompatibleArchitectures?.Count ?? 0); i++)
        {
            errors.Enum(request.CompatibleArchitectures![i], $"compatibleArchitectures.{i + 1}.member", ["x86_64", "arm64"]);
        }

        errors.ThrowIfAny();
        var zip = request.Content!.ZipFile ?? throw LambdaErrors.InvalidParameter(
            request.Content.S3Bucket is not null
                ? "S3 code locations are not supported by this Kindling host: upload the package directly (ZipFile)."
                : "Please provide a source for layer content.");
        if (zip.Length > ZipPackage.MaxZippedBytes)
        {
            throw LambdaErrors.ZipTooLarge();
        }

        var package = ZipPackage.Inspect(zip);
        if (package.UnzippedSize > ZipPackage.MaxUnzippedBytes)
        {
            throw LambdaErrors.InvalidParameter($"Unzipped size must be smaller than {ZipPackage.MaxUnzippedBytes} bytes");
        }

        if (ZipPackage.Verify(zip) is { } reason)
        {
            throw LambdaErrors.InvalidParameter(reason);
        }

        var stored = await code.PutAsync(zip, cancellationToken);
        while (true)
        {
            var meta = await documents.GetAsync<LayerMeta>(Tables.LayerMeta, name, "", cancellationToken);
            var version = (meta?.Value.LastVersion ?? 0) + 1;
            var layer = new LayerVersion
            {
                Content = new LayerVersionContent { CodeSha256 = stored.Sha256Base64, CodeSize = stored.Size },
                LayerArn = account.LayerArn(name),
                LayerVersionArn = account.LayerVersionArn(name, version),
                Description = request.Description ?? "",
                CreatedDate = Timestamps.Format(time.GetUtcNow()),
                Version = version,
                CompatibleRuntimes = request.CompatibleRuntimes is { Count: > 0 } r ? r : null,
                LicenseInfo = request.LicenseInfo,
                CompatibleArchitectures = request.CompatibleArchitectures is { Count: > 0 } a ? a : null,
            };
            try
            {
                await documents.WriteAsync(
                    [
                        Documents.Put(Tables.LayerMeta, name, "", new LayerMeta(version), meta?.Version ?? 0),
                        Documents.Put(Tables.Layer, name, Tables.VersionKey(version), new LayerVersionRecord(layer, stored.Id, package.UnzippedSize), 0),
                    ],
                    cancellationToken);
                return WithLocation(new LayerVersionRecord(layer, stored.Id, package.UnzippedSize));
            }
            catch (StoreConditionFailedException)
            {
                // Another publish took this number; take the next one.
            }
        }
    }

    /// <summary>GetLayerVersion.</summary>
    public async Task<LayerVersion> GetAsync(string layerName, long version, CancellationToken cancellationToken)
    {
        var name = RequireName(layerName);
        var record = await documents.GetAsync<LayerVersionRecord>(Tables.Layer, name, Tables.VersionKey(version), cancellationToken)
            ?? throw LayerVersionNotFound();
        return WithLocation(record.Value);
    }

    /// <summary>GetLayerVersionByArn.</summary>
    public async Task<LayerVersion> GetByArnAsync(string arn, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Length(arn, "arn", 1, 140);
        errors.Pattern(arn, "arn", LayerVersionArnRegex(), FunctionSettingsValidator.LayerVersionArnPattern);
        errors.ThrowIfAny();
        var record = await FindByArnAsync(arn, cancellationToken) ?? throw LayerVersionNotFound();
        return WithLocation(record);
    }

    /// <summary>ListLayerVersions, newest first.</summary>
    public async Task<(IReadOnlyList<LayerVersionsListItem> Versions, string? NextMarker)> ListVersionsAsync(
        string layerName, string? compatibleRuntime, string? compatibleArchitecture, string? marker, int? maxItems, CancellationToken cancellationToken)
    {
        var name = RequireName(layerName);
        CheckListFilters(compatibleRuntime, compatibleArchitecture, maxItems);
        var versions = (await documents.QueryAsync<LayerVersionRecord>(Tables.Layer, name, cancellationToken))
            .Select(v => v.Value.Layer)
            .Where(l => Matches(l, compatibleRuntime, compatibleArchitecture))
            .OrderByDescending(l => l.Version)
            .Select(ToListItem)
            .ToList();
        return Pagination.Page(versions, marker, maxItems);
    }

    /// <summary>ListLayers: each layer with its latest matching version.</summary>
    public async Task<(IReadOnlyList<LayersListItem> Layers, string? NextMarker)> ListAsync(
        string? compatibleRuntime, string? compatibleArchitecture, string? marker, int? maxItems, CancellationToken cancellationToken)
    {
        CheckListFilters(compatibleRuntime, compatibleArchitecture, maxItems);
        var all = new List<LayersListItem>();
        ItemKey? after = null;
        LayerVersion? latest = null;
        while (true)
        {
            var batch = await documents.ScanAsync<LayerVersionRecord>(Tables.Layer, after, 500, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var (key, record) in batch)
            {
                if (latest is not null && after is { } previous && previous.Partition != key.Partition)
                {
                    all.Add(new LayersListItem(previous.Partition, latest.LayerArn, ToListItem(latest)));
                    latest = null;
                }

                if (Matches(record.Layer, compatibleRuntime, compatibleArchitecture))
                {
                    latest = record.Layer;
                }

                after = key;
            }
        }

        if (latest is not null && after is { } last)
        {
            all.Add(new LayersListItem(last.Partition, latest.LayerArn, ToListItem(latest)));
        }

        return Pagination.Page(all, marker, maxItems);
    }

    /// <summary>DeleteLayerVersion (idempotent, as in Lambda).</summary>
    public async Task DeleteAsync(string layerName, long version, CancellationToken cancellationToken)
    {
        var name = RequireName(layerName);
        await documents.WriteAsync(
            [
                new DeleteItem(Tables.Layer, name, Tables.VersionKey(version)),
                new DeleteItem(Tables.LayerPolicy, name, Tables.VersionKey(version)),
            ],
            cancellationToken);
    }

    /// <summary>AddLayerVersionPermission.</summary>
    public async Task<(string Statement, string RevisionId)> AddPermissionAsync(string layerName, long version, AddLayerVersionPermissionRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required(request.StatementId, "statementId");
        errors.Required(request.Action, "action");
        errors.Required(request.Principal, "principal");
        errors.Length(request.StatementId, "statementId", 1, 100);
        errors.Pattern(request.StatementId, "statementId", StatementIdRegex(), "([a-zA-Z0-9-_]+)");
        errors.Pattern(request.Action, "action", LayerActionRegex(), "lambda:GetLayerVersion");
        errors.Pattern(request.Principal, "principal", LayerPrincipalRegex(), @"\d{12}|\*|arn:(aws[a-zA-Z-]*):iam::\d{12}:root");
        errors.ThrowIfAny();
        var name = RequireName(layerName);
        var key = Tables.VersionKey(version);
        var layer = await documents.GetAsync<LayerVersionRecord>(Tables.Layer, name, key, cancellationToken) ?? throw LayerVersionNotFound(name, version);
        var existing = await documents.GetAsync<ResourcePolicy>(Tables.LayerPolicy, name, key, cancellationToken);
        if (request.RevisionId is not null && request.RevisionId != existing?.Value.RevisionId)
        {
            throw LambdaErrors.PreconditionFailed("The RevisionId provided does not match the latest RevisionId for the Lambda function or alias. Call the GetFunction or the GetAlias API to retrieve the latest RevisionId for your resource.");
        }

        var statements = existing?.Value.Statements ?? [];
        if (statements.Any(s => (string?)s["Sid"] == request.StatementId))
        {
            throw LambdaErrors.Conflict($"The statement id ({request.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.");
        }

        JsonNode principal = request.Principal == "*"
            ? JsonValue.Create("*")
            : new JsonObject { ["AWS"] = request.Principal!.StartsWith("arn:", StringComparison.Ordinal) ? request.Principal : $"arn:aws:iam::{request.Principal}:root" };
        var statement = new JsonObject
        {
            ["Sid"] = request.StatementId,
            ["Effect"] = "Allow",
            ["Principal"] = principal,
            ["Action"] = request.Action,
            ["Resource"] = layer.Value.Layer.LayerVersionArn,
        };
        if (request.OrganizationId is not null)
        {
            statement["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["aws:PrincipalOrgID"] = request.OrganizationId } };
        }

        var policy = new ResourcePolicy([.. statements, statement], Guid.NewGuid().ToString());
        try
        {
            await documents.WriteAsync(Documents.Put(Tables.LayerPolicy, name, key, policy, existing?.Version ?? 0), cancellationToken);
        }
        catch (StoreConditionFailedException)
        {
            throw LambdaErrors.PreconditionFailed("The policy changed concurrently; retry.");
        }

        return (statement.ToJsonString(), policy.RevisionId);
    }

    /// <summary>GetLayerVersionPolicy.</summary>
    public async Task<(string Policy, string RevisionId)> GetPolicyAsync(string layerName, long version, CancellationToken cancellationToken)
    {
        var name = RequireName(layerName);
        var key = Tables.VersionKey(version);
        _ = await documents.GetAsync<LayerVersionRecord>(Tables.Layer, name, key, cancellationToken) ?? throw LayerVersionNotFound(name, version);
        var policy = await documents.GetAsync<ResourcePolicy>(Tables.LayerPolicy, name, key, cancellationToken);
        if (policy is null || policy.Value.Statements.Count == 0)
        {
            throw LambdaErrors.NotFound("No policy is associated with the given resource.");
        }

        return (PolicyDocument.Render(policy.Value), policy.Value.RevisionId);
    }

    /// <summary>RemoveLayerVersionPermission.</summary>
    public async Task RemovePermissionAsync(string layerName, long version, string statementId, string? revisionId, CancellationToken cancellationToken)
    {
        var name = RequireName(layerName);
        var key = Tables.VersionKey(version);
        _ = await documents.GetAsync<LayerVersionRecord>(Tables.Layer, name, key, cancellationToken) ?? throw LayerVersionNotFound(name, version);
        var policy = await documents.GetAsync<ResourcePolicy>(Tables.LayerPolicy, name, key, cancellationToken);
        if (policy is null || !policy.Value.Statements.Any(s => (string?)s["Sid"] == statementId))
        {
            throw LambdaErrors.NotFound("Statement " + statementId + " is not found in resource policy.");
        }

        if (revisionId is not null && revisionId != policy.Value.RevisionId)
        {
            throw LambdaErrors.PreconditionFailed("The RevisionId provided does not match the latest RevisionId for the Lambda function or alias. Call the GetFunction or the GetAlias API to retrieve the latest RevisionId for your resource.");
        }

        var remaining = policy.Value.Statements.Where(s => (string?)s["Sid"] != statementId).ToList();
        await documents.WriteAsync(
            remaining.Count == 0
                ? new DeleteItem(Tables.LayerPolicy, name, key, policy.Version)
                : Documents.Put(Tables.LayerPolicy, name, key, new ResourcePolicy(remaining, Guid.NewGuid().ToString()), policy.Version),
            cancellationToken);
    }

    private async Task<LayerVersionRecord?> FindByArnAsync(string arn, CancellationToken cancellationToken)
    {
        var match = LayerVersionArnParts().Match(arn);
        if (!match.Success || match.Groups["region"].Value != account.Region || match.Groups["account"].Value != account.AccountId)
        {
            return null;
        }

        var version = long.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var record = await documents.GetAsync<LayerVersionRecord>(Tables.Layer, match.Groups["name"].Value, Tables.VersionKey(version), cancellationToken);
        return record?.Value;
    }

    private LayerVersion WithLocation(LayerVersionRecord record) =>
        record.Layer with { Content = record.Layer.Content with { Location = locations.For(record.CodeId) } };

    private static LayerVersionsListItem ToListItem(LayerVersion l) =>
        new(l.LayerVersionArn, l.Version, l.Description, l.CreatedDate, l.CompatibleRuntimes, l.LicenseInfo, l.CompatibleArchitectures);

    private static bool Matches(LayerVersion layer, string? runtime, string? architecture) =>
        (runtime is null || layer.CompatibleRuntimes?.Contains(runtime) == true)
        && (architecture is null || layer.CompatibleArchitectures?.Contains(architecture) == true);

    private static void CheckListFilters(string? runtime, string? architecture, int? maxItems)
    {
        var errors = new ValidationErrors();
        errors.Enum(runtime, "compatibleRuntime", RuntimeCatalog.LambdaRuntimes);
        errors.Enum(architecture, "compatibleArchitecture", ["x86_64", "arm64"]);
        errors.Range(maxItems, "maxItems", 1, 50);
        errors.ThrowIfAny();
    }

    private string RequireName(string layerName)
    {
        var errors = new ValidationErrors();
        var name = CheckName(layerName, errors);
        errors.ThrowIfAny();
        return name;
    }

    private string CheckName(string layerName, ValidationErrors errors)
    {
        errors.Length(layerName, "layerName", 1, 140);
        errors.Pattern(layerName, "layerName", LayerNameRegex(), NamePattern);
        var arn = LayerArnParts().Match(layerName);
        return arn.Success ? arn.Groups["name"].Value : layerName;
    }

    private static LambdaException LayerVersionNotFound() =>
        LambdaErrors.NotFound("The resource you requested does not exist.");

    private LambdaException LayerVersionNotFound(string name, long version) =>
        LambdaErrors.NotFound($"Layer version {account.LayerVersionArn(name, version)} does not exist.");

    [GeneratedRegex("^(" + NamePattern + ")$")]
    private static partial Regex LayerNameRegex();

    [GeneratedRegex(@"^arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:(?<name>[a-zA-Z0-9-_]+)$")]
    private static partial Regex LayerArnParts();

    [GeneratedRegex(@"^arn:[a-zA-Z0-9-]+:lambda:(?<region>[a-zA-Z0-9-]+):(?<account>\d{12}):layer:(?<name>[a-zA-Z0-9-_]+):(?<version>[0-9]+)$")]
    private static partial Regex LayerVersionArnParts();

    [GeneratedRegex("^" + FunctionSettingsValidator.LayerVersionArnPattern + "$")]
    private static partial Regex LayerVersionArnRegex();

    [GeneratedRegex("^([a-zA-Z0-9-_]+)$")]
    private static partial Regex StatementIdRegex();

    [GeneratedRegex("^lambda:GetLayerVersion$")]
    private static partial Regex LayerActionRegex();

    [GeneratedRegex(@"^(\d{12}|\*|arn:(aws[a-zA-Z-]*):iam::\d{12}:root)$")]
    private static partial Regex LayerPrincipalRegex();
}
