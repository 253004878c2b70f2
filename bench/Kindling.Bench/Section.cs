namespace Kindling.Bench;

/// <summary>One part of results.md: a title, an optional note, and a table of results.</summary>
internal sealed record Section(string Title, string? Note, IReadOnlyList<BenchResult> Results);
