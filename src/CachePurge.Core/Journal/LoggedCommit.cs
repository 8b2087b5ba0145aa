namespace CachePurge.Core.Journal;

/// <summary>One committed batch as the commit log holds it until SQLite has it: its entries are <see cref="JournalJson"/>.</summary>
internal sealed record LoggedCommit(long Sequence, DateTimeOffset CommittedAt, string EntriesJson);
