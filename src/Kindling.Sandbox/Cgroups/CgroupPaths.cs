namespace Kindling.Sandbox.Cgroups;

/// <summary>Where the kernel describes the worker's control groups; tests point these at fakes.</summary>
/// <param name="MountInfo">The worker's mount table (<c>/proc/self/mountinfo</c>).</param>
/// <param name="ProcessCgroups">The worker's own groups (<c>/proc/self/cgroup</c>).</param>
/// <param name="GroupName">The directory under the worker's own group that holds every sandbox's group.</param>
internal sealed record CgroupPaths(string MountInfo, string ProcessCgroups, string GroupName)
{
    /// <summary>The real files, with sandboxes under <c>kindling/</c>.</summary>
    public static CgroupPaths Default { get; } = new("/proc/self/mountinfo", "/proc/self/cgroup", "kindling");
}
