namespace Kindling.Worker.Environments;

/// <summary>The runtime's command for <c>provided</c> runtimes: <c>/var/task/bootstrap</c>, else <c>/opt/bootstrap</c>.</summary>
internal static class BootstrapLocator
{
    public const string InvalidEntrypoint = "Runtime.InvalidEntrypoint";

    /// <summary>The bootstrap's path inside the sandbox, or the failure to answer invocations with.</summary>
    public static (IReadOnlyList<string>? Command, EnvironmentFailure? Failure) Find(string taskDirectory, string? optDirectory)
    {
        var candidates = new List<(string Host, string Sandbox)> { (Path.Combine(taskDirectory, "bootstrap"), "/var/task/bootstrap") };
        if (optDirectory is not null)
        {
            candidates.Add((Path.Combine(optDirectory, "bootstrap"), "/opt/bootstrap"));
        }

        foreach (var (host, sandbox) in candidates)
        {
            // The sandbox resolves links inside its own root; a link's target cannot be judged from here.
            var info = new FileInfo(host);
            if (info.LinkTarget is not null)
            {
                return ([sandbox], null);
            }

            if (!info.Exists)
            {
                continue;
            }

            // The sandbox's user owns nothing in /var/task: only the bits for others count.
            if ((info.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                return (null, EnvironmentFailure.FromPlatform(InvalidEntrypoint, $"fork/exec {sandbox}: permission denied"));
            }

            return ([sandbox], null);
        }

        return (null, EnvironmentFailure.FromPlatform(InvalidEntrypoint, "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]"));
    }
}
