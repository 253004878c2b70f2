using Kindling.Functions.Arns;
using Kindling.Functions.Errors;
using Kindling.Functions.Services;

namespace Kindling.Invocation.Frontend;

/// <summary>How invocations of weighted aliases pick their version.</summary>
public sealed record AliasRoutingOptions
{
    /// <summary>
    /// Seeds the random source, so that a test sees the same sequence of versions on every run; null (the default)
    /// draws from the shared, unseeded source.
    /// </summary>
    public int? Seed { get; init; }
}

/// <summary>
/// Resolves the function and qualifier an invocation names to the version that runs it. An alias with
/// <c>RoutingConfig.AdditionalVersionWeights</c> sends each invocation to its additional version with that
/// probability, independently of every other invocation, and to its primary version otherwise.
/// </summary>
public sealed class AliasRouting(FunctionStore functions, AliasRoutingOptions options)
{
    private readonly Random? _seeded = options.Seed is { } seed ? new Random(seed) : null;
    private readonly Lock _seededGate = new();

    /// <summary>The version an invocation of <paramref name="reference"/> runs on.</summary>
    public async ValueTask<ResolvedFunction> ResolveAsync(FunctionReference reference, CancellationToken cancellationToken)
    {
        var resolved = await functions.ResolveForInvokeAsync(reference, cancellationToken);
        if (resolved.Alias?.RoutingConfig?.AdditionalVersionWeights is not { Count: > 0 } weights)
        {
            return resolved;
        }

        var (version, weight) = weights.First();
        if (NextDouble() >= weight)
        {
            return resolved;
        }

        var additional = await functions.GetVersionForInvokeAsync(reference.Name, version, cancellationToken)
            ?? throw LambdaErrors.FunctionNotFound(functions.Account.FunctionArn(reference.Name, version));
        return resolved with { Version = additional.Value };
    }

    private double NextDouble()
    {
        if (_seeded is null)
        {
            return Random.Shared.NextDouble();
        }

        lock (_seededGate)
        {
            return _seeded.NextDouble();
        }
    }
}
