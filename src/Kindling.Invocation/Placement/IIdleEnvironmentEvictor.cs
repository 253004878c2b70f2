namespace Kindling.Invocation.Placement;

/// <summary>
/// The side of the worker manager that placement calls when a new environment does not fit: it gives up idle
/// environments of other functions, least recently used first.
/// </summary>
internal interface IIdleEnvironmentEvictor
{
    /// <summary>
    /// Shuts down the least recently used idle environments of pools other than <paramref name="exceptPoolKey"/>
    /// until their reservations together reach <paramref name="bytesWanted"/>, and hands those reservations to
    /// the caller: they stay counted in placement until the caller commits them to a new environment or releases
    /// them. Evicts nothing and returns 0 when the idle environments of other pools cannot free that much
    /// (evicting them would throw away warm environments without making room).
    /// </summary>
    ValueTask<long> EvictIdleAsync(long bytesWanted, string exceptPoolKey, CancellationToken cancellationToken);

    /// <summary>The memory held by idle environments of pools other than <paramref name="exceptPoolKey"/> (for refusal messages).</summary>
    long GetEvictableBytes(string exceptPoolKey);
}
