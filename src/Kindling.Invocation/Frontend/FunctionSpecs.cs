using System.Security.Cryptography;
using System.Text.Json;
using Kindling.Functions;
using Kindling.Functions.Arns;
using Kindling.Functions.Model;
using Kindling.Functions.Services;
using Kindling.Functions.State;
using Kindling.Invocation.Environments;

namespace Kindling.Invocation.Frontend;

/// <summary>
/// Turns a stored function version into the <see cref="FunctionSpec"/> environments are built from. The pool key
/// hashes everything an environment depends on, so a changed $LATEST never reuses an old environment, while a
/// change that does not affect the runtime (a tag, a policy) keeps environments warm.
/// </summary>
public sealed class FunctionSpecs(LayerService layers, AccountContext account) : ISettledVersionObserver
{
    private const int MaxCached = 10_000;

    // Keyed by RevisionId, which changes with every change to the version: a hit is always current. This keeps
    // a JSON serialization and a hash off the warm invoke path.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FunctionSpec> _cache = new(StringComparer.Ordinal);

    /// <summary>The spec of a version.</summary>
    public async Task<FunctionSpec> ForAsync(FunctionVersionRecord record, CancellationToken cancellationToken)
    {
        var cacheKey = CacheKey(record.Configuration);
        if (_cache.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        var built = await BuildAsync(record, cancellationToken);
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        _cache[cacheKey] = built;
        return built;
    }

    /// <summary>Whether the spec of <paramref name="record"/> is built already.</summary>
    internal bool IsCached(FunctionVersionRecord record) => _cache.ContainsKey(CacheKey(record.Configuration));

    /// <summary>A deployed version's spec is built before its first invoke needs it (~0.1 ms of a cold start).</summary>
    public async ValueTask OnSettledAsync(FunctionVersionRecord version, CancellationToken cancellationToken) =>
        _ = await ForAsync(version, cancellationToken);

    private async Task<FunctionSpec> BuildAsync(FunctionVersionRecord record, CancellationToken cancellationToken)
    {
        var c = record.Configuration;
        var layerIds = c.Layers is { Count: > 0 } attached
            ? (await layers.ResolveAsync(attached.Select(l => l.Arn).ToList(), cancellationToken)).Select(l => l.CodeId).ToList()
            : [];
        var spec = new FunctionSpec
        {
            FunctionName = c.FunctionName,
            Version = c.Version,
            FunctionArn = account.FunctionArn(c.FunctionName),
            Runtime = c.Runtime ?? "provided.al2023",
            Handler = c.Handler,
            Role = c.Role,
            MemorySizeMb = c.MemorySize,
            TimeoutSeconds = c.Timeout,
            EphemeralStorageMb = c.EphemeralStorage.Size,
            CodeId = record.CodeId,
            LayerCodeIds = layerIds,
            Variables = c.Environment?.Variables ?? new Dictionary<string, string>(),
            LogGroup = c.LoggingConfig.LogGroup ?? $"/aws/lambda/{c.FunctionName}",
            LogFormat = c.LoggingConfig.LogFormat ?? "Text",
            ApplicationLogLevel = c.LoggingConfig.ApplicationLogLevel,
            SystemLogLevel = c.LoggingConfig.SystemLogLevel,
            Region = account.Region,
            PoolKey = "",
        };
        var identity = JsonSerializer.SerializeToUtf8Bytes(spec, LambdaJson.Options);
        return spec with { PoolKey = $"{c.FunctionName}:{c.Version}:{Convert.ToHexStringLower(SHA256.HashData(identity))[..16]}" };
    }

    private static string CacheKey(FunctionConfiguration c) => $"{c.FunctionName}\n{c.Version}\n{c.RevisionId}";
}
