using System.Runtime.InteropServices;

namespace Kindling.Storage.Durability;

/// <summary>
/// The few POSIX calls .NET does not expose: fsync on a directory (File.OpenHandle refuses directories) and
/// link(2), the only portable create-if-absent rename (File.Move without overwrite is stat-then-rename, racy).
/// </summary>
internal static partial class LibC
{
    // O_RDONLY is 0 everywhere; O_CLOEXEC is 0x80000 on Linux x64 and arm64. O_DIRECTORY is deliberately not used:
    // its value differs between architectures, and opening a directory read-only works without it.
    internal const int OpenReadOnlyCloseOnExec = 0x80000;

    internal const int ErrorInterrupted = 4;

    internal const int ErrorExists = 17;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    internal static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Link(string existingPath, string newPath);
}
