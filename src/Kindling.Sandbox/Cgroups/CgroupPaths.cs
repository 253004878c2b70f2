namespace Kindling.Sandbox.Cgroups;

/// <summary>Where the kernel describes the worker's control groups; tests point these at fakes.</summary>
/// <param name="MountInfo">The worker's mount table (<c>/proc/self/mountinfo</c>).</param>
/// <param name="ProcessCgroups">The worker's own groups (<c>/proc/self/cgroup</c>).</param>
/// <param name="GroupName">The directory under the worker's own group that holds every worker's sandbox groups.</param>
/// <param name="Scope">This worker's directory under <paramref name="GroupName"/> (see <c>WorkerScope</c>).</param>
internal sealed record CgroupPaths(string MountInfo, string ProcessCgroups, string GroupName, string Scope)
{
    /// <summary>The real files, with sandboxes under <c>kindling/&lt;pid&gt;/</c>.</summary>
    public static CgroupPaths Default { get; } =
        new("/proc/self/mountinfo", "/proc/self/cgroup", "kindling", Interop.WorkerScope.Current);
}
