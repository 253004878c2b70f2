using System.IO.Compression;
using System.Text;

namespace Kindling.Worker.Code;

/// <summary>
/// Unpacks a function or layer archive with the file modes recorded in it (the Unix mode in the high 16 bits
/// of each entry's external attributes: <c>bootstrap</c> stays executable), as Lambda does. Entries never land
/// outside the destination: no absolute or <c>..</c> paths, and nothing is written through a symbolic link
/// (symbolic links are made last, and a later layer's file replaces a link rather than following it).
/// Directories are always 0755: the sandbox's user must be able to search them.
/// </summary>
internal static class ZipExtractor
{
    /// <summary>Lambda's limit on unpacked code, layers included.</summary>
    public const long MaxUnpackedBytes = 250L * 1024 * 1024;

    private const int FileTypeMask = 0xF000;
    private const int DirectoryType = 0x4000;
    private const int SymbolicLinkType = 0xA000;
    private const int PermissionMask = 0x1FF;

    private const UnixFileMode DefaultFileMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public const UnixFileMode DirectoryMode = DefaultFileMode
        | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// Extracts <paramref name="archive"/> into <paramref name="destination"/> (which exists), over what is
    /// there; <paramref name="unpackedBytes"/> counts the bytes written so far across calls (layers).
    /// </summary>
    /// <exception cref="InvalidDataException">The archive is invalid, escapes the destination or is too large.</exception>
    public static void Extract(byte[] archive, string destination, ref long unpackedBytes)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(destination));
        var safeDirectories = new HashSet<string>(StringComparer.Ordinal) { root };
        var links = new List<(string Path, string Target)>();
        using var stream = new MemoryStream(archive, writable: false);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
        foreach (var entry in zip.Entries)
        {
            var path = Resolve(root, entry.FullName);
            var mode = (int)((uint)entry.ExternalAttributes >> 16);
            var type = mode & FileTypeMask;
            if (entry.FullName.EndsWith('/') || type == DirectoryType)
            {
                if (path != root)
                {
                    CreateDirectory(root, path, safeDirectories);
                }

                continue;
            }

            if (type == SymbolicLinkType)
            {
                using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
                links.Add((path, reader.ReadToEnd()));
                continue;
            }

            CreateDirectory(root, Path.GetDirectoryName(path)!, safeDirectories);
            unpackedBytes = checked(unpackedBytes + WriteFile(entry, path, Permissions(mode), MaxUnpackedBytes - unpackedBytes));
        }

        foreach (var (path, target) in links)
        {
            CreateDirectory(root, Path.GetDirectoryName(path)!, safeDirectories);
            if (!File.Exists(path) && !Directory.Exists(path) && new FileInfo(path).LinkTarget is null)
            {
                File.CreateSymbolicLink(path, target);
            }
        }
    }

    private static string Resolve(string root, string name)
    {
        if (name.Length == 0 || name.Contains('\0', StringComparison.Ordinal) || name.StartsWith('/'))
        {
            throw new InvalidDataException($"The archive has an invalid entry name '{name}'.");
        }

        var path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(root, name)));
        if (path != root && !path.StartsWith(root + "/", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"The archive's entry '{name}' is outside its root.");
        }

        return path;
    }

    /// <summary>Creates a directory whose every ancestor below the root is a real directory, not a link.</summary>
    private static void CreateDirectory(string root, string path, HashSet<string> safeDirectories)
    {
        if (safeDirectories.Contains(path))
        {
            return;
        }

        CreateDirectory(root, Path.GetDirectoryName(path)!, safeDirectories);
        var info = new DirectoryInfo(path);
        if (info.LinkTarget is not null || File.Exists(path))
        {
            // An earlier layer's link or file where this archive has a directory: the directory wins, as
            // unpacking it over the earlier layer would make it.
            File.Delete(path);
        }

        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, DirectoryMode);
        }

        File.SetUnixFileMode(path, DirectoryMode);
        safeDirectories.Add(path);
    }

    private static long WriteFile(ZipArchiveEntry entry, string path, UnixFileMode mode, long remaining)
    {
        if (entry.Length > remaining)
        {
            throw TooLarge();
        }

        if (new FileInfo(path).LinkTarget is not null)
        {
            // Replace an earlier layer's link; never write through it.
            File.Delete(path);
        }

        using (var source = entry.Open())
        using (var target = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = mode,
            PreallocationSize = entry.Length,
        }))
        {
            var buffer = new byte[81920];
            long written = 0;
            int read;
            while ((read = source.Read(buffer)) > 0)
            {
                written += read;
                if (written > remaining)
                {
                    throw TooLarge();
                }

                target.Write(buffer, 0, read);
            }

            // The process umask narrowed the mode at creation; the archive's mode is the one that counts.
            File.SetUnixFileMode(path, mode);
            return written;
        }
    }

    private static UnixFileMode Permissions(int mode)
    {
        // Archives made on Windows carry no Unix mode: Lambda then gives read access only (a bootstrap made so
        // is not executable there either). Set-id and sticky bits are never kept.
        var permissions = mode & PermissionMask;
        return permissions == 0 ? DefaultFileMode : (UnixFileMode)permissions;
    }

    private static InvalidDataException TooLarge()
        => new($"The unpacked code is larger than {MaxUnpackedBytes} bytes.");
}
