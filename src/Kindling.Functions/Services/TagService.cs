using System.Text.RegularExpressions;
using Kindling.Functions.Errors;
using Kindling.Functions.Model;
using Kindling.Functions.Persistence;
using Kindling.Functions.Validation;
using Kindling.Storage.Metadata;

namespace Kindling.Functions.Services;

/// <summary>TagResource, UntagResource and ListTags on functions and event source mappings.</summary>
public sealed partial class TagService(FunctionStore functions)
{
    /// <summary>ListTags.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ListAsync(string resourceArn, CancellationToken cancellationToken) =>
        await UpdateAsync(resourceArn, null, cancellationToken);

    /// <summary>TagResource.</summary>
    public async Task TagAsync(string resourceArn, Dictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required(tags, "tags");
        foreach (var (key, value) in tags ?? [])
        {
            if (key.Length is 0 or > 128)
            {
                errors.Add(key, "tags", "Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]");
            }

            if (value.Length > 256)
            {
                errors.Add(value, "tags", "Map value must satisfy constraint: [Member must have length less than or equal to 256]");
            }
        }

        errors.ThrowIfAny();
        await UpdateAsync(resourceArn, current =>
        {
            var merged = new Dictionary<string, string>(current, StringComparer.Ordinal);
            foreach (var (key, value) in tags!)
            {
                merged[key] = value;
            }

            if (merged.Count > 50)
            {
                throw LambdaErrors.InvalidParameter("Number of tags exceeds resource tag limit.");
            }

            return merged;
        }, cancellationToken);
    }

    /// <summary>UntagResource.</summary>
    public async Task UntagAsync(string resourceArn, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (keys.Count == 0)
        {
            errors.Add(null, "tagKeys", "Member must not be null");
        }

        errors.ThrowIfAny();
        await UpdateAsync(resourceArn, current => current.Where(t => !keys.Contains(t.Key)).ToDictionary(StringComparer.Ordinal), cancellationToken);
    }

    private async Task<IReadOnlyDictionary<string, string>> UpdateAsync(
        string resourceArn, Func<IReadOnlyDictionary<string, string>, Dictionary<string, string>>? change, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Pattern(resourceArn, "resource", ResourceRegex(), @"arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:(function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
        errors.ThrowIfAny();
        var esm = EsmRegex().Match(resourceArn);
        if (esm.Success)
        {
            while (true)
            {
                var mapping = await functions.Documents.GetAsync<EventSourceMappingRecord>(Tables.EventSourceMapping, esm.Groups["uuid"].Value, "", cancellationToken)
                    ?? throw LambdaErrors.NotFound("The resource you requested does not exist.");
                if (change is null)
                {
                    return mapping.Value.Tags;
                }

                try
                {
                    await functions.Documents.WriteAsync(
                        Documents.Put(Tables.EventSourceMapping, esm.Groups["uuid"].Value, "", mapping.Value with { Tags = change(mapping.Value.Tags) }, mapping.Version),
                        cancellationToken);
                    return mapping.Value.Tags;
                }
                catch (StoreConditionFailedException)
                {
                    // Changed meanwhile: retry.
                }
            }
        }

        var reference = functions.Parse(resourceArn, null, "resource");
        if (reference.Qualifier is not null)
        {
            throw LambdaErrors.InvalidParameter("Tags on function aliases and versions are not supported. Please specify a function ARN.");
        }

        while (true)
        {
            var meta = await functions.RequireMetaAsync(reference.Name, cancellationToken);
            if (change is null)
            {
                return meta.Value.Tags;
            }

            try
            {
                await functions.Documents.WriteAsync(
                    Documents.Put(Tables.FunctionMeta, reference.Name, "", meta.Value with { Tags = change(meta.Value.Tags) }, meta.Version),
                    cancellationToken);
                return meta.Value.Tags;
            }
            catch (StoreConditionFailedException)
            {
                // Changed meanwhile: retry.
            }
        }
    }

    [GeneratedRegex(@"^arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:(function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")]
    private static partial Regex ResourceRegex();

    [GeneratedRegex(@":event-source-mapping:(?<uuid>[0-9a-f-]{36})$")]
    private static partial Regex EsmRegex();
}
