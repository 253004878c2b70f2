using System.Security.Cryptography;
using System.Text;

namespace Kindling.Server.Hosting;

/// <summary>
/// Where the worker unpacks code. Sandboxes run as an unprivileged host user that must traverse every directory
/// above the code; a data directory under a private home (root's default, <c>/root</c> is 0700) cannot hold it,
/// so the cache then lives under <c>/var/lib/kindling</c>, one directory per data directory.
/// </summary>
internal static class WorkerCacheLocation
{
    private const string Root = "/var/lib/kindling";

    private const UnixFileMode Traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static string? For(string dataDirectory)
    {
        for (var parent = Path.GetDirectoryName(Path.GetFullPath(dataDirectory)); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (Directory.Exists(parent) && (File.GetUnixFileMode(parent) & UnixFileMode.OtherExecute) == 0)
            {
                var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dataDirectory))))[..12];
                Directory.CreateDirectory(Root, Traversable);
                File.SetUnixFileMode(Root, Traversable);
                return Path.Combine(Root, $"worker-{id}");
            }
        }

        return null;
    }
}
