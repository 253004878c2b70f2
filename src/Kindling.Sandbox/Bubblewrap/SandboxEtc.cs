using System.Globalization;
using Kindling.Sandbox.Interop;

namespace Kindling.Sandbox.Bubblewrap;

/// <summary>
/// The /etc files written for sandboxes rather than taken from the host: the sandbox user's passwd and group
/// entries (tools that look up the current user fail without one), <c>localhost</c> and Lambda's <c>sandbox.localdomain</c> (the extensions' listeners) in hosts, and an
/// nsswitch.conf that consults it first. Written once into the state directory, world-readable (bubblewrap
/// opens bind sources as the unprivileged host user).
/// </summary>
internal sealed class SandboxEtc
{
    private readonly List<(string Source, string Destination)> _files = [];

    public SandboxEtc(string directory, int uid, int gid)
    {
        UnixModes.CreateDirectory(directory, UnixModes.WorldReadable);
        UnixModes.Set(directory, UnixModes.WorldReadable);
        var user = "sbx_user1051";
        Add(directory, "passwd", string.Create(CultureInfo.InvariantCulture,
            $"root:x:0:0:root:/root:/sbin/nologin\n{user}:x:{uid}:{gid}::/tmp:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"));
        Add(directory, "group", string.Create(CultureInfo.InvariantCulture,
            $"root:x:0:\n{user}:x:{gid}:\nnogroup:x:65534:\n"));
        Add(directory, "hosts", "127.0.0.1\tlocalhost sandbox.localdomain sandbox\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        Add(directory, "nsswitch.conf", "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n");
    }

    /// <summary>Each file's host path and its path inside the sandbox.</summary>
    public IReadOnlyList<(string Source, string Destination)> Files => _files;

    private void Add(string directory, string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        UnixModes.Set(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        _files.Add((path, "/etc/" + name));
    }
}
