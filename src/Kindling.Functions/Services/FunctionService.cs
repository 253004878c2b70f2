using System.Security.Cryptography;
using Kindling.Functions.Arns;
using Kindling.Functions.Errors;
using Kindling.Functions.Model;
using Kindling.Functions.Packages;
using Kindling.Functions.Persistence;
using Kindling.Functions.Runtimes;
using Kindling.Functions.State;
using Kindling.Functions.Validation;
using Kindling.Storage.Code;
using Kindling.Storage.Metadata;

namespace Kindling.Functions.Services;

/// <summary>CreateFunction, GetFunction, the two updates, DeleteFunction and ListFunctions.</summary>
public sealed class FunctionService(
    FunctionStore functions,
    LayerService layers,
    ICodeStore code,
    RuntimeCatalog runtimes,
    FunctionStateQueue stateQueue,
    VersionService versions,
    ConcurrencySettings concurrency,
    TimeProvider time)
{
    private AccountContext Account => functions.Account;

    /// <summary>CreateFunction: stores the function as <c>Pending</c>; the background check makes it Active or Failed.</summary>
    public async Task<FunctionConfiguration> CreateAsync(CreateFunctionRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required(request.FunctionName, "functionName");
        errors.Required(request.Role, "role");
        errors.Required(request.Code, "code");
        errors.Length(request.FunctionName, "functionName", 1, 140);
        FunctionSettingsValidator.CheckSchema(request, errors);
        errors.Enum(request.PackageType, "packageType", ["Zip", "Image"]);
        CheckArchitectures(request.Architectures, errors);
        errors.ThrowIfAny();

        var reference = functions.Parse(request.FunctionName!, null);
        if (reference.Qualifier is not null)
        {
            throw LambdaErrors.InvalidParameter("Unsupported function name format: a qualifier is not allowed when creating a function.");
        }

        if (request.PackageType == "Image" || request.Code!.ImageUri is not null)
        {
            throw LambdaErrors.InvalidParameter("Container image functions are not supported by this Kindling host yet.");
        }

        if (request.Runtime is null || request.Handler is null)
        {
            throw LambdaErrors.InvalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.");
        }

        FunctionSettingsValidator.CheckSemantics(request, runtimes);
        var zip = RequireZip(request.Code.ZipFile, request.Code.S3Bucket);
        var package = ZipPackage.Inspect(zip);
        var attached = await layers.ResolveAsync(request.Layers, cancellationToken);
        CheckUnzippedSize(package.UnzippedSize + attached.Sum(l => l.UnzippedSize));

        if (await functions.GetLatestAsync(reference.Name, cancellationToken) is not null)
        {
            throw LambdaErrors.Conflict($"Function already exist: {reference.Name}");
        }

        var stored = await code.PutAsync(zip, cancellationToken);
        var revision = NewRevision();
        var configuration = new FunctionConfiguration
        {
            FunctionName = reference.Name,
            FunctionArn = Account.FunctionArn(reference.Name),
            Runtime = request.Runtime,
            Role = request.Role!,
            Handler = request.Handler,
            CodeSize = stored.Size,
            CodeSha256 = stored.Sha256Base64,
            Version = "$LATEST",
            LastModified = Timestamps.Format(time.GetUtcNow()),
            RevisionId = revision,
            State = "Pending",
            StateReason = "The function is being created.",
            StateReasonCode = "Creating",
            Architectures = request.Architectures is { Count: 1 } a ? [a[0]] : ["x86_64"],
            RuntimeVersionConfig = RuntimeVersion(request.Runtime),
            LoggingConfig = new LoggingConfig { LogFormat = "Text", LogGroup = $"/aws/lambda/{reference.Name}" },
        };
        configuration = Apply(configuration, request, attached);

        var record = new FunctionVersionRecord
        {
            Configuration = configuration,
            CodeId = stored.Id,
            UnzippedSize = package.UnzippedSize,
            Pending = new PendingWork("Create", revision, null),
        };
        var meta = new FunctionMeta { Tags = request.Tags ?? new Dictionary<string, string>() };
        try
        {
            await functions.Documents.WriteAsync(
                [
                    Documents.Put(Tables.Function, reference.Name, "$LATEST", record, expectedVersion: 0),
                    Documents.Put(Tables.FunctionMeta, reference.Name, "", meta, expectedVersion: 0),
                ],
                cancellationToken);
        }
        catch (StoreConditionFailedException)
        {
            throw LambdaErrors.Conflict($"Function already exist: {reference.Name}");
        }

        stateQueue.Enqueue(reference.Name);
        if (request.Publish == true)
        {
            return await versions.PublishAsync(reference.Name, new PublishVersionRequest(null, null, null), allowPending: true, cancellationToken);
        }

        return configuration;
    }

    /// <summary>GetFunction.</summary>
    public async Task<GetFunctionResult> GetAsync(string functionName, string? qualifier, CancellationToken cancellationToken)
    {
        var reference = functions.Parse(functionName, qualifier);
        var resolved = await functions.ResolveAsync(reference, cancellationToken);
        var meta = await functions.RequireMetaAsync(reference.Name, cancellationToken);
        return new GetFunctionResult(
            AsQualified(resolved),
            resolved.Version.CodeId,
            meta.Value.Tags.Count > 0 ? meta.Value.Tags : null,
            meta.Value.ReservedConcurrentExecutions);
    }

    /// <summary>GetFunctionConfiguration.</summary>
    public async Task<FunctionConfiguration> GetConfigurationAsync(string functionName, string? qualifier, CancellationToken cancellationToken)
    {
        var reference = functions.Parse(functionName, qualifier);
        return AsQualified(await functions.ResolveAsync(reference, cancellationToken));
    }

    /// <summary>A configuration read through a qualifier carries that qualifier in its ARN, as in Lambda.</summary>
    private FunctionConfiguration AsQualified(ResolvedFunction resolved) =>
        resolved.Qualifier is null
            ? resolved.Version.Configuration
            : resolved.Version.Configuration with { FunctionArn = Account.FunctionArn(resolved.Name, resolved.Qualifier) };

    /// <summary>UpdateFunctionConfiguration: merges the given settings into <c>$LATEST</c>.</summary>
    public async Task<FunctionConfiguration> UpdateConfigurationAsync(string functionName, UpdateFunctionConfigurationRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        FunctionSettingsValidator.CheckSchema(request, errors);
        errors.ThrowIfAny();
        var name = functions.ParseUnqualified(functionName);
        var current = await functions.RequireLatestAsync(name, cancellationToken);
        CheckUpdatable(current.Value, request.RevisionId);
        FunctionSettingsValidator.CheckSemantics(request, runtimes);

        IReadOnlyList<LayerVersionRecord>? attached = null;
        if (request.Layers is not null)
        {
            attached = await layers.ResolveAsync(request.Layers, cancellationToken);
            CheckUnzippedSize(current.Value.UnzippedSize + attached.Sum(l => l.UnzippedSize));
        }

        var revision = NewRevision();
        var configuration = Apply(current.Value.Configuration, request, attached) with
        {
            LastModified = Timestamps.Format(time.GetUtcNow()),
            RevisionId = revision,
            LastUpdateStatus = "InProgress",
            LastUpdateStatusReason = "The function is being created.",
            LastUpdateStatusReasonCode = "Creating",
        };
        if (request.Runtime is not null)
        {
            configuration = configuration with { RuntimeVersionConfig = RuntimeVersion(request.Runtime) };
        }

        var record = current.Value with
        {
            Configuration = configuration,
            Pending = new PendingWork("UpdateConfiguration", revision, current.Value with { Pending = null }),
        };
        await WriteLatestAsync(name, record, current.Version, cancellationToken);
        stateQueue.Enqueue(name);
        return configuration;
    }

    /// <summary>UpdateFunctionCode: replaces the code of <c>$LATEST</c>.</summary>
    public async Task<FunctionConfiguration> UpdateCodeAsync(string functionName, UpdateFunctionCodeRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        CheckArchitectures(request.Architectures, errors);
        errors.ThrowIfAny();
        var name = functions.ParseUnqualified(functionName);
        var current = await functions.RequireLatestAsync(name, cancellationToken);
        if (request.ImageUri is not null)
        {
            throw LambdaErrors.InvalidParameter("Please don't provide ImageUri when updating a function with packageType Zip.");
        }

        var zip = RequireZip(request.ZipFile, request.S3Bucket);
        var package = ZipPackage.Inspect(zip);
        var layerSize = current.Value.Configuration.Layers is { } attached
            ? (await layers.ResolveAsync(attached.Select(l => l.Arn).ToList(), cancellationToken)).Sum(l => l.UnzippedSize)
            : 0;
        CheckUnzippedSize(package.UnzippedSize + layerSize);
        CheckUpdatable(current.Value, request.RevisionId);
        if (request.DryRun == true)
        {
            return current.Value.Configuration with
            {
                CodeSha256 = Convert.ToBase64String(SHA256.HashData(zip.Span)),
                CodeSize = zip.Length,
            };
        }

        var stored = await code.PutAsync(zip, cancellationToken);
        var revision = NewRevision();
        var configuration = current.Value.Configuration with
        {
            CodeSha256 = stored.Sha256Base64,
            CodeSize = stored.Size,
            LastModified = Timestamps.Format(time.GetUtcNow()),
            RevisionId = revision,
            Architectures = request.Architectures is { Count: 1 } a ? [a[0]] : current.Value.Configuration.Architectures,
            LastUpdateStatus = "InProgress",
            LastUpdateStatusReason = "The function is being created.",
            LastUpdateStatusReasonCode = "Creating",
        };
        var record = current.Value with
        {
            Configuration = configuration,
            CodeId = stored.Id,
            UnzippedSize = package.UnzippedSize,
            Pending = new PendingWork("UpdateCode", revision, current.Value with { Pending = null }),
        };
        await WriteLatestAsync(name, record, current.Version, cancellationToken);
        stateQueue.Enqueue(name);
        if (request.Publish == true)
        {
            return await versions.PublishAsync(name, new PublishVersionRequest(null, null, null), allowPending: true, cancellationToken);
        }

        return configuration;
    }

    /// <summary>DeleteFunction: the whole function, or one published version.</summary>
    public async Task DeleteAsync(string functionName, string? qualifier, CancellationToken cancellationToken)
    {
        var reference = functions.Parse(functionName, qualifier);
        _ = await functions.GetLatestAsync(reference.Name, cancellationToken)
            ?? throw LambdaErrors.FunctionNotFound(Account.FunctionArn(reference.Name, reference.Qualifier));
        if (reference.Qualifier is null)
        {
            var writes = new List<StoreWrite>();
            foreach (var table in FunctionTables)
            {
                var sorts = await functions.Documents.QueryKeysAsync(table, reference.Name, cancellationToken);
                writes.AddRange(sorts.Select(s => new DeleteItem(table, reference.Name, s)));
            }

            await functions.Documents.WriteAsync(writes, cancellationToken);
            concurrency.Invalidate();
            return;
        }

        if (reference.Qualifier == "$LATEST")
        {
            throw LambdaErrors.InvalidParameter("$LATEST version cannot be deleted without deleting the function.");
        }

        if (!FunctionStore.IsVersionNumber(reference.Qualifier))
        {
            throw LambdaErrors.InvalidParameter("Deletion of aliases is not supported.");
        }

        var version = await functions.GetVersionAsync(reference.Name, reference.Qualifier, cancellationToken)
            ?? throw LambdaErrors.FunctionNotFound(Account.FunctionArn(reference.Name, reference.Qualifier));
        var aliases = (await functions.Documents.QueryAsync<AliasConfiguration>(Tables.Alias, reference.Name, cancellationToken))
            .Where(a => a.Value.FunctionVersion == reference.Qualifier
                || a.Value.RoutingConfig?.AdditionalVersionWeights?.ContainsKey(reference.Qualifier) == true)
            .Select(a => a.Value.Name)
            .ToList();
        if (aliases.Count > 0)
        {
            throw LambdaErrors.Conflict($"Unable to delete version because the following aliases reference it: [{string.Join(", ", aliases)}]");
        }

        await functions.Documents.WriteAsync(
            [
                new DeleteItem(Tables.Function, reference.Name, Tables.VersionKey(reference.Qualifier), version.Version),
                new DeleteItem(Tables.Policy, reference.Name, reference.Qualifier),
                new DeleteItem(Tables.EventInvokeConfig, reference.Name, reference.Qualifier),
                new DeleteItem(Tables.ProvisionedConcurrency, reference.Name, reference.Qualifier),
            ],
            cancellationToken);
        concurrency.Invalidate();
    }

    /// <summary>ListFunctions: <c>$LATEST</c> of every function, or every version with <c>FunctionVersion=ALL</c>.</summary>
    public async Task<(IReadOnlyList<FunctionConfiguration> Functions, string? NextMarker)> ListAsync(
        string? functionVersion, string? marker, int? maxItems, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Enum(functionVersion, "functionVersion", ["ALL"]);
        errors.Range(maxItems, "maxItems", 1, 10000);
        errors.ThrowIfAny();
        var all = functionVersion == "ALL";
        var limit = maxItems ?? 50;
        var after = Pagination.DecodeKey(marker);
        var page = new List<FunctionConfiguration>(limit);
        if (!all)
        {
            // One small row per function: page over those and read each $LATEST, rather than scanning every
            // version's document.
            var names = await functions.Documents.ScanKeysAsync(Tables.FunctionMeta, after, limit + 1, cancellationToken);
            foreach (var key in names.Take(limit))
            {
                if (await functions.GetLatestAsync(key.Partition, cancellationToken) is { } latest)
                {
                    page.Add(ForListing(latest.Value.Configuration, all: false));
                }
            }

            return (page, names.Count > limit ? Pagination.EncodeKey(names[limit - 1]) : null);
        }

        var batch = await functions.Documents.ScanAsync<FunctionVersionRecord>(Tables.Function, after, limit + 1, cancellationToken);
        page.AddRange(batch.Take(limit).Select(b => ForListing(b.Value.Configuration, all: true)));
        return (page, batch.Count > limit ? Pagination.EncodeKey(batch[limit - 1].Key) : null);
    }

    private static readonly string[] FunctionTables =
    [
        Tables.Function, Tables.FunctionMeta, Tables.Alias, Tables.Policy, Tables.EventInvokeConfig,
        Tables.ProvisionedConcurrency, Tables.FunctionUrl,
    ];

    private FunctionConfiguration ForListing(FunctionConfiguration configuration, bool all) =>
        configuration with
        {
            FunctionArn = all ? Account.FunctionArn(configuration.FunctionName, configuration.Version) : configuration.FunctionArn,
            State = null,
            StateReason = null,
            StateReasonCode = null,
            LastUpdateStatus = null,
            LastUpdateStatusReason = null,
            LastUpdateStatusReasonCode = null,
        };

    private async Task WriteLatestAsync(string name, FunctionVersionRecord record, long expectedVersion, CancellationToken cancellationToken)
    {
        try
        {
            await functions.Documents.WriteAsync(Documents.Put(Tables.Function, name, "$LATEST", record, expectedVersion), cancellationToken);
        }
        catch (StoreConditionFailedException)
        {
            throw LambdaErrors.UpdateInProgress(Account.FunctionArn(name));
        }
    }

    private void CheckUpdatable(FunctionVersionRecord current, string? revisionId)
    {
        var configuration = current.Configuration;
        if (current.Pending is not null)
        {
            throw LambdaErrors.UpdateInProgress(configuration.FunctionArn);
        }

        if (revisionId is not null && revisionId != configuration.RevisionId)
        {
            throw LambdaErrors.RevisionMismatch();
        }
    }

    private static ReadOnlyMemory<byte> RequireZip(byte[]? zipFile, string? s3Bucket)
    {
        if (zipFile is null)
        {
            throw LambdaErrors.InvalidParameter(s3Bucket is not null
                ? "S3 code locations are not supported by this Kindling host: upload the package directly (ZipFile)."
                : "Please provide a source for function code.");
        }

        if (zipFile.Length > ZipPackage.MaxZippedBytes)
        {
            throw LambdaErrors.ZipTooLarge();
        }

        return zipFile;
    }

    private static void CheckUnzippedSize(long size)
    {
        if (size > ZipPackage.MaxUnzippedBytes)
        {
            throw LambdaErrors.InvalidParameter($"Unzipped size must be smaller than {ZipPackage.MaxUnzippedBytes} bytes");
        }
    }

    private static void CheckArchitectures(List<string>? architectures, ValidationErrors errors)
    {
        if (architectures is null)
        {
            return;
        }

        if (architectures.Count != 1)
        {
            errors.Add(architectures, "architectures", "Member must have length less than or equal to 1");
            return;
        }

        errors.Enum(architectures[0], "architectures.1.member", ["x86_64", "arm64"]);
    }

    private FunctionConfiguration Apply(FunctionConfiguration configuration, FunctionSettingsRequest request, IReadOnlyList<LayerVersionRecord>? attached)
    {
        var logging = configuration.LoggingConfig;
        if (request.LoggingConfig is { } l)
        {
            var format = l.LogFormat ?? logging.LogFormat ?? "Text";
            logging = new LoggingConfig
            {
                LogFormat = format,
                ApplicationLogLevel = format == "JSON" ? l.ApplicationLogLevel ?? logging.ApplicationLogLevel ?? "INFO" : null,
                SystemLogLevel = format == "JSON" ? l.SystemLogLevel ?? logging.SystemLogLevel ?? "INFO" : null,
                LogGroup = l.LogGroup ?? logging.LogGroup,
            };
        }

        return configuration with
        {
            Role = request.Role ?? configuration.Role,
            Runtime = request.Runtime ?? configuration.Runtime,
            Handler = request.Handler ?? configuration.Handler,
            Description = request.Description ?? configuration.Description,
            Timeout = request.Timeout ?? configuration.Timeout,
            MemorySize = request.MemorySize ?? configuration.MemorySize,
            Environment = request.Environment is { } e
                ? new EnvironmentResponse(e.Variables ?? new Dictionary<string, string>())
                : configuration.Environment,
            DeadLetterConfig = request.DeadLetterConfig is { } d
                ? (string.IsNullOrEmpty(d.TargetArn) ? null : d)
                : configuration.DeadLetterConfig,
            KMSKeyArn = request.KMSKeyArn is { } k ? (k.Length == 0 ? null : k) : configuration.KMSKeyArn,
            TracingConfig = request.TracingConfig?.Mode is { } mode ? new TracingConfig(mode) : configuration.TracingConfig,
            Layers = attached is null
                ? configuration.Layers
                : attached.Count == 0 ? null : attached.Select(a => new FunctionLayer(a.Layer.LayerVersionArn, a.Layer.Content.CodeSize)).ToList(),
            EphemeralStorage = request.EphemeralStorage ?? configuration.EphemeralStorage,
            SnapStart = request.SnapStart?.ApplyOn is { } apply ? new SnapStartResponse(apply, "Off") : configuration.SnapStart,
            LoggingConfig = logging,
        };
    }

    private RuntimeVersionConfig? RuntimeVersion(string? runtime) =>
        runtime is null
            ? null
            : new RuntimeVersionConfig(
                $"arn:aws:lambda:{Account.Region}::runtime:{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(runtime)))}");

    private static string NewRevision() => Guid.NewGuid().ToString();
}
