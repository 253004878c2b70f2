namespace Kindling.Sandbox;

internal static class SandboxMarker;
