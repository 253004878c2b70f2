namespace Kindling.Runtime.Dotnet.RuntimeApi;

/// <summary>One Runtime API response: status, headers (lower-cased names) and body.</summary>
internal sealed record HttpResponse(int Status, Dictionary<string, string> Headers, byte[] Body, bool Close);
