namespace CachePurge.Core.Journal;

/// <summary>What <see cref="UnsavedPurges.KeepBounded"/> did to one cache's purges so that memory stays bounded.</summary>
/// <param name="Count">How many purges were replaced, or given up.</param>
/// <param name="ReplacedByEverything">True when they were replaced by one purge of everything, committed as <paramref name="Sequence"/>; false when they were given up.</param>
internal readonly record struct UnsavedOverflow(string Endpoint, int Count, bool ReplacedByEverything, long Sequence, DateTimeOffset FirstCommitted);
