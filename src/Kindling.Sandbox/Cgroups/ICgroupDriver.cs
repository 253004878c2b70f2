namespace Kindling.Sandbox.Cgroups;

/// <summary>Creates sandboxes' control groups under the worker's own group, on cgroup v1 or v2.</summary>
internal interface ICgroupDriver
{
    /// <summary>"v1" or "v2", for logs.</summary>
    string Version { get; }

    /// <summary>Creates the groups named <paramref name="name"/> with <paramref name="limits"/> applied.</summary>
    /// <exception cref="IOException">A group of that name exists already (in this worker).</exception>
    ICgroup Create(string name, CgroupLimits limits);

    /// <summary>Kills and removes the groups of workers that no longer run (best effort).</summary>
    void RemoveLeftovers();

    /// <summary>Removes this worker's own parent groups if they are empty (best effort).</summary>
    void RemoveScope();
}
