using Kindling.Functions.Model;

namespace Kindling.Functions.State;

/// <summary>
/// Told of each version a deploy has just made Active, so that the invoke path can prepare what an invoke of it needs
/// (a deploy is usually followed by an invoke, whose cold start would otherwise do it).
/// </summary>
public interface ISettledVersionObserver
{
    /// <summary>Prepares for invokes of <paramref name="version"/>; its failures are logged, never the deploy's.</summary>
    ValueTask OnSettledAsync(FunctionVersionRecord version, CancellationToken cancellationToken);
}
