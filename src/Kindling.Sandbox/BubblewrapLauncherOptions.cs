namespace Kindling.Sandbox;

/// <summary>How <see cref="BubblewrapLauncher"/> builds sandboxes on this host.</summary>
public sealed record BubblewrapLauncherOptions
{
    /// <summary>The bubblewrap executable (Debian package <c>bubblewrap</c>, ≥ 0.8).</summary>
    public string BubblewrapPath { get; init; } = "/usr/bin/bwrap";

    /// <summary>
    /// util-linux's setpriv, used to start bubblewrap as <see cref="HostUserId"/> on architectures where the launcher
    /// does not switch its thread's credentials itself (other than x86-64 and arm64).
    /// </summary>
    public string SetprivPath { get; init; } = "/usr/bin/setpriv";

    /// <summary>
    /// Directory for the launcher's own files: /tmp volume images and mount points, the sandbox's generated
    /// /etc files. Must be on a disk file system that supports sparse files and O_DIRECT (ext4, xfs).
    /// </summary>
    public string StateDirectory { get; init; } = "/var/lib/kindling/sandbox";

    /// <summary>How /tmp is provided.</summary>
    public TmpStorageKind TmpStorage { get; init; } = TmpStorageKind.LoopbackExt4;

    /// <summary>
    /// Ready /tmp volumes kept per size (<see cref="TmpStorageKind.LoopbackExt4"/>), made in the background so
    /// that launches do not pay for them; 0 makes each launch make its own.
    /// </summary>
    public int TmpVolumePoolSize { get; init; } = 4;

    /// <summary>/tmp sizes to stock at start-up; others are stocked once first asked for.</summary>
    public IReadOnlyList<long> PrewarmTmpSizes { get; init; } = [512L * 1024 * 1024];

    /// <summary>
    /// Sandboxes kept started ahead of need for each recently launched shape (runtime binds, /tmp size, pids limit):
    /// a launch of such a shape takes one and only binds the code, sets the limits and starts the command. 0 (the
    /// default) starts every sandbox at its launch.
    /// </summary>
    public int PrestartedPerShape { get; init; }

    /// <summary>How many of the most recently launched shapes are kept stocked with pre-started sandboxes.</summary>
    public int PrestartedShapes { get; init; } = 4;

    /// <summary>
    /// Launches in their set-up at once (from the /tmp volume to the sandbox's listener; the runtimes then start
    /// outside this limit); more wait their turn. Null: 8 per CPU. With no limit, a burst of 200 launches on 2
    /// CPUs had every set-up step queue behind every other launch's, so the first sandbox started its process
    /// only after ~2 s and the 200th after 6.8 s; 16 at once: the first after 0.2–0.4 s, the 200th after 4.4 s.
    /// </summary>
    public int? MaxConcurrentStarts { get; init; }

    /// <summary>The uid the command sees (Lambda's sbx_user1051 is 993).</summary>
    public int SandboxUserId { get; init; } = 993;

    /// <summary>The gid the command sees (Lambda's is 990).</summary>
    public int SandboxGroupId { get; init; } = 990;

    /// <summary>
    /// The host uid the sandbox really runs as, when the worker is root: an otherwise unused, unprivileged uid,
    /// so that a process escaping every namespace is still nobody on the host. Null runs bubblewrap as the
    /// worker's own user (then the sandbox user is the worker's uid on the host, e.g. root without capabilities).
    /// The default lies in the range systemd leaves unallocated (65536–524287).
    /// </summary>
    public int? HostUserId { get; init; } = 400_993;

    /// <summary>The host gid matching <see cref="HostUserId"/>.</summary>
    public int? HostGroupId { get; init; } = 400_990;

    /// <summary>The directory under the worker's own control groups that holds the sandboxes' groups.</summary>
    public string CgroupName { get; init; } = "kindling";
}
