using Kindling.Functions.Model;

namespace Kindling.Functions.Services;

/// <summary>A function reference resolved to the version it runs.</summary>
public sealed record ResolvedFunction(string Name, string? Qualifier, FunctionVersionRecord Version, AliasConfiguration? Alias);
