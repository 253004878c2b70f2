namespace Kindling.Api;

internal static class ApiMarker;
