namespace Kindling.Api.Endpoints;

/// <summary>TagResource's body.</summary>
internal sealed record TagResourceRequest(Dictionary<string, string>? Tags);
