namespace Kindling.Storage.Sqlite;

/// <summary>
/// One schema step. <see cref="Version"/> is what <c>PRAGMA user_version</c> holds once the step has run;
/// steps are never edited after release, only appended.
/// </summary>
internal sealed record SqliteMigration(int Version, string Name, string Sql);
