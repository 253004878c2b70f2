namespace Kindling.Sandbox.Bubblewrap;

/// <summary>
/// The host's part of every sandbox's root, decided once: /usr and the top-level directories that Debian makes
/// symlinks into it (merged /usr) or real directories, and the few /etc files programs need: the dynamic
/// linker's cache, the time zone, TLS trust (certificates and OpenSSL's configuration), and — only with
/// egress — the resolver's configuration. Everything else of the host's /etc stays out.
/// </summary>
internal sealed class HostRoot
{
    private static readonly string[] s_topLevel = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];
    private static readonly string[] s_etcFiles =
        ["/etc/ld.so.cache", "/etc/ssl/certs", "/etc/ssl/openssl.cnf", "/etc/ca-certificates", "/etc/ca-certificates.conf"];

    private HostRoot(IReadOnlyList<string> arguments, IReadOnlyList<string> networkArguments)
    {
        Arguments = arguments;
        NetworkArguments = networkArguments;
    }

    /// <summary>bubblewrap arguments for every sandbox.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Extra arguments for sandboxes with egress.</summary>
    public IReadOnlyList<string> NetworkArguments { get; }

    /// <summary>Inspects the host.</summary>
    public static HostRoot Detect()
    {
        var arguments = new List<string> { "--ro-bind", "/usr", "/usr" };

        // Lambda's images are Amazon Linux, where /bin/sh is bash; bootstraps (AWS's own tutorial among them)
        // rely on it. Debian's /bin/sh is dash, so bash is bound over it inside the sandbox.
        if (File.Exists("/usr/bin/bash") && File.Exists("/usr/bin/sh"))
        {
            arguments.AddRange(["--ro-bind", "/usr/bin/bash", "/usr/bin/sh"]);
        }
        foreach (var path in s_topLevel)
        {
            AddMirrored(arguments, path);
        }

        foreach (var path in s_etcFiles)
        {
            AddBound(arguments, path);
        }

        // A missing /etc/localtime costs Node 18 ms at start (DESIGN §4). Debian's is a symlink into /usr, kept
        // as a symlink: some runtimes read the zone's name from its target.
        var localTime = new FileInfo("/etc/localtime");
        if (localTime.LinkTarget is { } zone && Path.GetFullPath(zone, "/etc").StartsWith("/usr/", StringComparison.Ordinal))
        {
            arguments.AddRange(["--symlink", zone, "/etc/localtime"]);
        }
        else
        {
            AddBound(arguments, "/etc/localtime");
        }

        var network = new List<string>();
        AddBound(network, "/etc/resolv.conf");
        return new HostRoot(arguments, network);
    }

    /// <summary>A symlink into /usr stays a symlink; a directory is bound read-only.</summary>
    private static void AddMirrored(List<string> arguments, string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is { } target && Path.GetFullPath(target, "/").StartsWith("/usr/", StringComparison.Ordinal))
        {
            arguments.AddRange(["--symlink", target, path]);
        }
        else
        {
            AddBound(arguments, path);
        }
    }

    /// <summary>Binds what <paramref name="path"/> resolves to, read-only, if it exists.</summary>
    private static void AddBound(List<string> arguments, string path)
    {
        if (File.Exists(path) || Directory.Exists(path))
        {
            arguments.AddRange(["--ro-bind", path, path]);
        }
    }
}
