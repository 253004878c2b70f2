namespace Kindling.Sandbox.Cgroups;

/// <summary>Creates sandboxes' control groups under the worker's own group, on cgroup v1 or v2.</summary>
internal interface ICgroupDriver
{
    /// <summary>"v1" or "v2", for logs.</summary>
    string Version { get; }

    /// <summary>Creates the groups named <paramref name="name"/> with <paramref name="limits"/> applied.</summary>
    ICgroup Create(string name, CgroupLimits limits);
}
