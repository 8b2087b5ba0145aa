namespace CachePurge.Core.Journal;

/// <summary>A purge the journal holds for one endpoint until that endpoint acknowledges it.</summary>
internal sealed record JournalEntry(string Endpoint, PurgeTarget Target, long Sequence, DateTimeOffset FirstCommitted, int Attempts, string? LastError);
