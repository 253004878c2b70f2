using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Kindling.Storage.Code;
using Microsoft.Extensions.Logging;

namespace Kindling.Worker.Code;

/// <summary>
/// The worker's unpacked code: each function archive once per code id under <c>worker/code/&lt;id&gt;</c>, and
/// each ordered list of layers once, merged into <c>worker/opt/&lt;hash&gt;</c> (later layers win). A directory is
/// unpacked into a temporary sibling and renamed into place, so one that exists is complete, across restarts
/// too; concurrent requests for the same code share one unpacking.
/// </summary>
internal sealed class CodeCache
{
    private const string TempPrefix = ".tmp-";

    private readonly ICodeStore _store;
    private readonly WorkerDirectories _directories;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _unpacking = new(StringComparer.Ordinal);

    public CodeCache(ICodeStore store, WorkerDirectories directories, ILogger<CodeCache> logger)
    {
        _store = store;
        _directories = directories;
        _logger = logger;
        RemoveLeftovers(directories.Code);
        RemoveLeftovers(directories.Opt);
    }

    /// <summary>The host directory holding the unpacked function code (bound at <c>/var/task</c>).</summary>
    public Task<string> GetTaskDirectoryAsync(string codeId, CancellationToken cancellationToken)
    {
        RequireId(codeId);
        var directory = Path.Combine(_directories.Code, codeId);
        return GetAsync(directory, [codeId], cancellationToken);
    }

    /// <summary>The host directory holding the merged layers (bound at <c>/opt</c>), or null without layers.</summary>
    public Task<string?> GetOptDirectoryAsync(IReadOnlyList<string> layerCodeIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layerCodeIds);
        if (layerCodeIds.Count == 0)
        {
            return Task.FromResult<string?>(null);
        }

        foreach (var id in layerCodeIds)
        {
            RequireId(id);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', layerCodeIds))));
        return GetAsync(Path.Combine(_directories.Opt, hash), layerCodeIds, cancellationToken)!;
    }

    private async Task<string> GetAsync(string directory, IReadOnlyList<string> codeIds, CancellationToken cancellationToken)
    {
        if (Directory.Exists(directory))
        {
            return directory;
        }

        var lazy = _unpacking.GetOrAdd(directory, key => new Lazy<Task<string>>(() => Task.Run(() => UnpackAsync(key, codeIds))));
        try
        {
            // Shared by every caller: one caller giving up does not cancel the others' unpacking.
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            if (lazy.Value.IsCompleted)
            {
                _unpacking.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(directory, lazy));
            }
        }
    }

    private async Task<string> UnpackAsync(string directory, IReadOnlyList<string> codeIds)
    {
        if (Directory.Exists(directory))
        {
            return directory;
        }

        var started = Stopwatch.GetTimestamp();
        var temp = Path.Combine(Path.GetDirectoryName(directory)!, TempPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
        try
        {
            long unpacked = 0;
            foreach (var id in codeIds)
            {
                var archive = await _store.ReadAsync(id, CancellationToken.None);
                ZipExtractor.Extract(archive, temp, ref unpacked);
            }

            File.SetUnixFileMode(temp, ZipExtractor.DirectoryMode);
            Directory.Move(temp, directory);
        }
        catch (IOException) when (Directory.Exists(directory))
        {
            // Another worker process sharing the directory won the rename.
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }

        WorkerLog.CodeUnpacked(_logger, string.Join(',', codeIds), directory, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return directory;
    }

    private void RemoveLeftovers(string parent)
    {
        if (!Directory.Exists(parent))
        {
            return;
        }

        foreach (var leftover in Directory.EnumerateDirectories(parent, TempPrefix + "*"))
        {
            try
            {
                Directory.Delete(leftover, recursive: true);
            }
            catch (IOException exception)
            {
                WorkerLog.LeftoverNotRemoved(_logger, leftover, exception);
            }
        }
    }

    private static void RequireId(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                throw new ArgumentException($"'{id}' is not a code id.", nameof(id));
            }
        }
    }
}
