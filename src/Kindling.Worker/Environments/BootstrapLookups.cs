using System.Collections.Concurrent;

namespace Kindling.Worker.Environments;

/// <summary>
/// The <c>provided</c> bootstrap of each unpacked code and layers, looked up once: those directories never change once
/// unpacked, so the answer holds for every later cold start of any configuration of that code (the lookup is three
/// file-system calls, ~45 µs of a cold start after idle time).
/// </summary>
internal sealed class BootstrapLookups
{
    private const int MaxCached = 10_000;

    private readonly ConcurrentDictionary<(string Task, string? Opt), (IReadOnlyList<string>? Command, EnvironmentFailure? Failure)> _found = new();

    /// <summary>What <see cref="BootstrapLocator.Find"/> answers for these directories.</summary>
    public (IReadOnlyList<string>? Command, EnvironmentFailure? Failure) Find(string taskDirectory, string? optDirectory)
    {
        var key = (taskDirectory, optDirectory);
        if (_found.TryGetValue(key, out var found))
        {
            return found;
        }

        found = BootstrapLocator.Find(taskDirectory, optDirectory);
        if (_found.Count >= MaxCached)
        {
            _found.Clear();
        }

        _found[key] = found;
        return found;
    }
}
