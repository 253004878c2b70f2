using System.Runtime.InteropServices;

namespace Kindling.Worker.Interop;

/// <summary>The two libc calls the worker needs that .NET does not expose.</summary>
internal static partial class Libc
{
    public const int SigTerm = 15;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int chown(string path, int owner, int group);
}
