using System.Globalization;
using System.Security.Cryptography;
using Kindling.Functions.Errors;
using Kindling.Functions.Model;
using Kindling.Functions.Persistence;
using Kindling.Functions.Validation;
using Kindling.Storage.Metadata;

namespace Kindling.Functions.Services;

/// <summary>Function URL configurations: create, get, update, delete, list.</summary>
public sealed class FunctionUrlService(FunctionStore functions, FunctionUrlOptions options, TimeProvider time)
{
    /// <summary>CreateFunctionUrlConfig.</summary>
    public async Task<FunctionUrlConfig> CreateAsync(string functionName, string? qualifier, FunctionUrlRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required(request.AuthType, "authType");
        CheckSchema(request, errors);
        errors.ThrowIfAny();
        var (name, key, arn) = await ResolveAsync(functionName, qualifier, cancellationToken);
        var now = Format(time.GetUtcNow());
        var config = new FunctionUrlConfig
        {
            FunctionUrl = string.Format(CultureInfo.InvariantCulture, options.UrlTemplate, NewUrlId()),
            FunctionArn = arn,
            AuthType = request.AuthType!,
            Cors = request.Cors,
            CreationTime = now,
            LastModifiedTime = now,
            InvokeMode = request.InvokeMode ?? "BUFFERED",
        };
        try
        {
            await functions.Documents.WriteAsync(Documents.Put(Tables.FunctionUrl, name, key, config, 0), cancellationToken);
        }
        catch (StoreConditionFailedException)
        {
            throw LambdaErrors.Conflict($"Failed to create function url config for [functionArn = {arn}]. Error message:  FunctionUrlConfig exists for this Lambda function");
        }

        return config with { LastModifiedTime = null };
    }

    /// <summary>GetFunctionUrlConfig.</summary>
    public async Task<FunctionUrlConfig> GetAsync(string functionName, string? qualifier, CancellationToken cancellationToken)
    {
        var (name, key, _) = await ResolveAsync(functionName, qualifier, cancellationToken);
        return (await RequireAsync(name, key, cancellationToken)).Value;
    }

    /// <summary>UpdateFunctionUrlConfig.</summary>
    public async Task<FunctionUrlConfig> UpdateAsync(string functionName, string? qualifier, FunctionUrlRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        CheckSchema(request, errors);
        errors.ThrowIfAny();
        var (name, key, _) = await ResolveAsync(functionName, qualifier, cancellationToken);
        var current = await RequireAsync(name, key, cancellationToken);
        var updated = current.Value with
        {
            AuthType = request.AuthType ?? current.Value.AuthType,
            Cors = request.Cors ?? current.Value.Cors,
            InvokeMode = request.InvokeMode ?? current.Value.InvokeMode,
            LastModifiedTime = Format(time.GetUtcNow()),
        };
        await functions.Documents.WriteAsync(Documents.Put(Tables.FunctionUrl, name, key, updated, current.Version), cancellationToken);
        return updated;
    }

    /// <summary>DeleteFunctionUrlConfig.</summary>
    public async Task DeleteAsync(string functionName, string? qualifier, CancellationToken cancellationToken)
    {
        var (name, key, _) = await ResolveAsync(functionName, qualifier, cancellationToken);
        var current = await RequireAsync(name, key, cancellationToken);
        await functions.Documents.WriteAsync(new DeleteItem(Tables.FunctionUrl, name, key, current.Version), cancellationToken);
    }

    /// <summary>ListFunctionUrlConfigs.</summary>
    public Task<(IReadOnlyList<FunctionUrlConfig> Items, string? NextMarker)> ListAsync(
        string functionName, string? marker, int? maxItems, CancellationToken cancellationToken)
        => functions.ListPerQualifierAsync<FunctionUrlConfig>(Tables.FunctionUrl, functionName, marker, maxItems, 50, cancellationToken);

    private async Task<Versioned<FunctionUrlConfig>> RequireAsync(string name, string key, CancellationToken cancellationToken) =>
        await functions.Documents.GetAsync<FunctionUrlConfig>(Tables.FunctionUrl, name, key, cancellationToken)
        ?? throw LambdaErrors.NotFound("The resource you requested does not exist.");

    private async Task<(string Name, string Key, string Arn)> ResolveAsync(string functionName, string? qualifier, CancellationToken cancellationToken)
    {
        var reference = functions.Parse(functionName, qualifier);
        if (reference.Qualifier is { } q && FunctionStore.IsVersionNumber(q))
        {
            var errors = new ValidationErrors();
            errors.Add(q, "qualifier", @"Member must satisfy regular expression pattern: ((?!^\d+$)^[0-9a-zA-Z-_]+$)");
            errors.ThrowIfAny();
        }

        try
        {
            _ = await functions.ResolveAsync(reference, cancellationToken);
        }
        catch (LambdaException ex) when (ex.Code == "ResourceNotFoundException")
        {
            throw LambdaErrors.NotFound("Function does not exist");
        }
        var key = reference.Qualifier is null or "$LATEST" ? "" : reference.Qualifier;
        return (reference.Name, key, functions.Account.FunctionArn(reference.Name, key.Length == 0 ? null : key));
    }

    private static void CheckSchema(FunctionUrlRequest request, ValidationErrors errors)
    {
        errors.Enum(request.AuthType, "authType", ["NONE", "AWS_IAM"]);
        errors.Enum(request.InvokeMode, "invokeMode", ["BUFFERED", "RESPONSE_STREAM"]);
        errors.Range(request.Cors?.MaxAge, "cors.maxAge", 0, 86400);
    }

    private static string NewUrlId()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return RandomNumberGenerator.GetString(alphabet, 32);
    }

    private static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
