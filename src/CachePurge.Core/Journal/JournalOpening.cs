namespace CachePurge.Core.Journal;

/// <summary>What <see cref="JournalOpener.Open"/> found.</summary>
/// <param name="Database">The journal, or null when it cannot be opened now.</param>
/// <param name="Problem">Why it cannot, in words; null when it opened.</param>
/// <param name="Leftovers">Commits found in the commit logs of engines that are gone, for the journal to save.</param>
/// <param name="LeftoverFiles">Those commit logs, to delete once their commits are saved.</param>
/// <param name="LastSequence">The highest commit number the journal and the leftovers hold: new commits are numbered after it.</param>
internal sealed record JournalOpening(JournalDatabase? Database, string? Problem, IReadOnlyList<LoggedCommit> Leftovers, IReadOnlyList<string> LeftoverFiles, long LastSequence);
