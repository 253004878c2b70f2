namespace Kindling.Worker.Extensions;

/// <summary>
/// External extensions: the executables in the layers' <c>/opt/extensions</c> (lambda-api.md §4), each started
/// before the runtime. Lambda runs at most ten.
/// </summary>
internal static class ExtensionFiles
{
    /// <summary>Most extensions an environment may run (internal and external together).</summary>
    public const int Limit = 10;

    private const UnixFileMode Executable = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// The file names of the executables in <c>&lt;opt&gt;/extensions</c>, in ordinal order; empty (one directory
    /// probe) when there is none, so functions without extensions pay nothing more.
    /// </summary>
    public static IReadOnlyList<string> Find(string? optDirectory)
    {
        if (optDirectory is null)
        {
            return [];
        }

        var directory = new DirectoryInfo(Path.Combine(optDirectory, "extensions"));
        if (!directory.Exists)
        {
            return [];
        }

        var names = new List<string>();
        foreach (var file in directory.EnumerateFiles())
        {
            var target = file.LinkTarget is null ? file : file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo;
            if (target is { Exists: true } && (target.UnixFileMode & Executable) != 0)
            {
                names.Add(file.Name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
