namespace Kindling.Sandbox.Cgroups;

/// <summary>A mounted control-group hierarchy and the worker's own group directory in it.</summary>
/// <param name="Controllers">The v1 controllers bound to it (empty for v2).</param>
/// <param name="OwnDirectory">The directory of the worker's own group in this hierarchy.</param>
internal sealed record CgroupMount(IReadOnlySet<string> Controllers, string OwnDirectory);
