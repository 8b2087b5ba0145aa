namespace CachePurge.Core.Journal;

/// <summary>What a <see cref="JournalUpdate"/> does to a pending entry.</summary>
internal enum JournalUpdateKind
{
    /// <summary>The cache acknowledged it: forget it, unless it was committed again since.</summary>
    Delivered,

    /// <summary>An attempt failed: count it and keep its error.</summary>
    Failed,

    /// <summary>It failed for too long: move it to the dead letters.</summary>
    DeadLettered,
}
