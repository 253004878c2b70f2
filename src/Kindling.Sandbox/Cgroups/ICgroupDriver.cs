namespace Kindling.Sandbox.Cgroups;

/// <summary>Creates sandboxes' control groups under the worker's own group, on cgroup v1 or v2.</summary>
internal interface ICgroupDriver
{
    /// <summary>"v1" or "v2", for logs.</summary>
    string Version { get; }

    /// <summary>Creates the groups named <paramref name="name"/> with <paramref name="limits"/> applied.</summary>
    /// <exception cref="IOException">A group of that name exists already (in this worker).</exception>
    ICgroup Create(string name, CgroupLimits limits);

    /// <summary>
    /// Writes the worker's own pid to the cgroup.procs of the group it is in: a move to where it already is. The
    /// kernel's first cgroup.procs write after a pause waits for an RCU grace period (cgroup_threadgroup_rwsem;
    /// measured 7–12 ms on these machines, the largest step of a launch); writes during that wait or shortly after
    /// it share it. Started as a launch begins, it takes the wait off the sandbox's own attach a few milliseconds
    /// later. Best effort.
    /// </summary>
    void PrimeAttach();

    /// <summary>Kills and removes the groups of workers that no longer run (best effort).</summary>
    void RemoveLeftovers();

    /// <summary>Removes this worker's own parent groups if they are empty (best effort).</summary>
    void RemoveScope();
}
