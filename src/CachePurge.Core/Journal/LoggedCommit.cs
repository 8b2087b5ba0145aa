namespace CachePurge.Core.Journal;

/// <summary>One committed batch, for every cache that takes it, as the commit log holds it until SQLite has it.</summary>
internal sealed record LoggedCommit(long Sequence, DateTimeOffset CommittedAt, IReadOnlyList<(string Endpoint, PurgeTarget Target)> Entries);
