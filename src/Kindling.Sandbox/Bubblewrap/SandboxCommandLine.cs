using System.Globalization;
using System.Text;

namespace Kindling.Sandbox.Bubblewrap;

/// <summary>
/// bubblewrap's options for one sandbox. Bind sources are paths: bubblewrap resolves even <c>--bind-fd</c>
/// sources through their path, as the (unprivileged) user it runs as, so every bound path must be searchable
/// and readable by that user.
/// </summary>
internal sealed class SandboxCommandLine
{
    private readonly List<string> _arguments = [];

    private SandboxCommandLine()
    {
    }

    /// <summary>
    /// The options, as bubblewrap's <c>--args</c> wants them: each followed by a NUL. (bubblewrap takes only
    /// options from there; the command follows <c>--args</c> on its real command line.)
    /// </summary>
    public byte[] EncodedArguments
    {
        get
        {
            var builder = new StringBuilder();
            foreach (var argument in _arguments)
            {
                builder.Append(argument).Append('\0');
            }

            return Encoding.UTF8.GetBytes(builder.ToString());
        }
    }

    /// <summary>The options, for tests and diagnostics.</summary>
    public IReadOnlyList<string> Arguments => _arguments;

    /// <summary>The command to run (after <c>--</c>).</summary>
    public IReadOnlyList<string> Command { get; private set; } = [];

    /// <summary>Builds the command line.</summary>
    /// <param name="spec">A validated spec.</param>
    /// <param name="options">The launcher's options.</param>
    /// <param name="root">The host's part of the root.</param>
    /// <param name="etc">The generated /etc files.</param>
    /// <param name="tmpDirectory">Host directory for /tmp, or null for a tmpfs.</param>
    public static SandboxCommandLine Build(
        SandboxSpec spec, BubblewrapLauncherOptions options, HostRoot root, SandboxEtc etc, string? tmpDirectory)
    {
        var commandLine = new SandboxCommandLine();
        commandLine.Fill(spec, options, root, etc, tmpDirectory);
        return commandLine;
    }

    private void Fill(SandboxSpec spec, BubblewrapLauncherOptions options, HostRoot root, SandboxEtc etc, string? tmpDirectory)
    {
        Add("--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup");
        if (!spec.AllowNetwork)
        {
            Add("--unshare-net");
        }

        // No nested user namespaces (the seccomp filter refuses them too): they would hand the sandbox
        // capabilities over new mount and network namespaces, the usual way into kernel bugs.
        Add("--disable-userns");
        Add("--uid", Invariant(options.SandboxUserId), "--gid", Invariant(options.SandboxGroupId));
        Add("--hostname", "localhost");
        Add("--die-with-parent", "--new-session", "--cap-drop", "ALL");
        Add("--json-status-fd", Invariant(ChildDescriptors.Status));
        Add("--block-fd", Invariant(ChildDescriptors.Block));
        Add("--seccomp", Invariant(ChildDescriptors.Seccomp));

        Add("--clearenv");
        foreach (var (name, value) in spec.Environment)
        {
            Add("--setenv", name, value);
        }

        _arguments.AddRange(root.Arguments);
        if (spec.AllowNetwork)
        {
            _arguments.AddRange(root.NetworkArguments);
        }

        foreach (var (source, destination) in etc.Files)
        {
            Add("--ro-bind", source, destination);
        }

        Add("--ro-bind", spec.TaskDirectory, "/var/task");
        if (spec.OptDirectory is not null)
        {
            Add("--ro-bind", spec.OptDirectory, "/opt");
        }
        else
        {
            // Lambda's /opt exists without layers too (empty), as a pre-started sandbox's does.
            Add("--dir", "/opt");
        }

        if (spec.RuntimeDirectory is not null)
        {
            Add("--ro-bind", spec.RuntimeDirectory, "/var/runtime");
        }

        foreach (var path in spec.ExtraReadOnlyPaths)
        {
            Add("--ro-bind", path, path);
        }

        Add("--proc", "/proc", "--dev", "/dev");
        if (tmpDirectory is null)
        {
            Add("--size", Invariant(spec.TmpSizeBytes), "--tmpfs", "/tmp");
        }
        else
        {
            Add("--bind", tmpDirectory, "/tmp");
        }

        // Like Lambda, nothing but /tmp is writable (the root is a tmpfs bubblewrap made).
        Add("--remount-ro", "/");
        Add("--chdir", spec.WorkingDirectory);
        Command = spec.Command;
    }

    private void Add(params string[] arguments) => _arguments.AddRange(arguments);

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
