using System.Runtime.InteropServices;

namespace Kindling.Storage.Durability;

/// <summary>
/// Crash-safe file publication: content is written to a fresh temporary file and flushed to the device before
/// a rename makes it visible, and the directory is flushed so that the rename itself survives a power loss.
/// A crash at any point leaves either the old state or the complete new file, plus at worst a stray temp file.
/// </summary>
internal static class DurableFile
{
    // rwxrwxrwx, narrowed by the umask as mkdir(2) does: the same as Directory.CreateDirectory without a mode.
    private const UnixFileMode DefaultDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="path"/> (which must not exist) with the content, flushed to disk.</summary>
    public static void WriteNew(string path, ReadOnlySpan<byte> content, UnixFileMode? unixCreateMode = null)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
        };
        if (unixCreateMode is { } mode)
        {
            options.UnixCreateMode = mode;
        }

        using var stream = new FileStream(path, options);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="tempPath"/>, flushes it, and renames it over
    /// <paramref name="path"/>. The caller flushes the destination directory (once for many files).
    /// </summary>
    public static void WriteAndReplace(string tempPath, string path, ReadOnlySpan<byte> content)
    {
        try
        {
            WriteNew(tempPath, content);
            File.Move(tempPath, path, overwrite: true);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    /// <summary>
    /// Publishes a complete, flushed <paramref name="tempPath"/> as <paramref name="path"/> only when
    /// <paramref name="path"/> does not exist yet; atomic against concurrent creators (link(2)).
    /// Returns false, leaving the existing file alone, when another creator won. The temp file is removed.
    /// </summary>
    public static bool PublishIfAbsent(string tempPath, string path)
    {
        try
        {
            if (LibC.Link(tempPath, path) == 0)
            {
                return true;
            }

            var error = Marshal.GetLastPInvokeError();
            if (error == LibC.ErrorExists)
            {
                return false;
            }

            throw new IOException($"Cannot create '{path}': {Marshal.GetPInvokeErrorMessage(error)} (errno {error}).");
        }
        finally
        {
            TryDelete(tempPath);
        }
    }

    /// <summary>
    /// Creates the directories and any missing ancestors, then flushes the parent of each directory created so the
    /// new entries survive power loss. Directories that exist cost one stat each and no flush, so this is cheap to
    /// call on every start-up.
    /// </summary>
    public static void CreateDirectories(IEnumerable<string> directories, UnixFileMode mode = DefaultDirectoryMode)
    {
        var parents = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directory in directories)
        {
            var missing = new Stack<string>();
            for (var current = Path.GetFullPath(directory); !Directory.Exists(current); current = Path.GetDirectoryName(current)!)
            {
                missing.Push(current);
            }

            while (missing.TryPop(out var path))
            {
                Directory.CreateDirectory(path, mode);
                parents.Add(Path.GetDirectoryName(path)!);
            }
        }

        foreach (var parent in parents)
        {
            FlushDirectory(parent);
        }
    }

    /// <summary>Flushes a directory's entries (creations, renames) to the device.</summary>
    public static void FlushDirectory(string directory)
    {
        var fd = LibC.Open(directory, LibC.OpenReadOnlyCloseOnExec);
        if (fd < 0)
        {
            throw Failure("open", directory);
        }

        try
        {
            while (LibC.FSync(fd) != 0)
            {
                if (Marshal.GetLastPInvokeError() != LibC.ErrorInterrupted)
                {
                    throw Failure("fsync", directory);
                }
            }
        }
        finally
        {
            _ = LibC.Close(fd);
        }
    }

    /// <summary>Deletes a file, ignoring failures (used on cleanup paths where the original error matters more).</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static IOException Failure(string call, string path)
    {
        var error = Marshal.GetLastPInvokeError();
        return new IOException($"{call} of '{path}' failed: {Marshal.GetPInvokeErrorMessage(error)} (errno {error}).");
    }
}
