namespace Kindling.Sandbox.Interop;

/// <summary>File modes (the analyzer-visible guard keeps the Linux-only calls out of callers' platform checks).</summary>
internal static class UnixModes
{
    /// <summary>rwx for the owner only.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rwx for the owner, rx for everyone else.</summary>
    public const UnixFileMode WorldReadable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>rwx for the owner, x (search, not list) for everyone else.</summary>
    public const UnixFileMode WorldSearchable = OwnerOnly | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="path"/> (and missing parents) with <paramref name="mode"/>.</summary>
    public static void CreateDirectory(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException();
        }

        Directory.CreateDirectory(path, mode);
    }

    /// <summary>Sets <paramref name="path"/>'s mode.</summary>
    public static void Set(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException();
        }

        File.SetUnixFileMode(path, mode);
    }
}
