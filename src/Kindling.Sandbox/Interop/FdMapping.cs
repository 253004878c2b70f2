namespace Kindling.Sandbox.Interop;

/// <summary>A descriptor of the parent placed at a fixed number in a spawned child.</summary>
/// <param name="Source">The parent's descriptor (close-on-exec; the child's copy is not).</param>
/// <param name="Target">The number it gets in the child.</param>
internal readonly record struct FdMapping(int Source, int Target);
