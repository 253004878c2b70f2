namespace Kindling.Functions;

internal static class FunctionsMarker;
