namespace CachePurge.Core.Journal;

/// <summary>
/// Whether the journal keeps committed purges on disk now. While it cannot be written (a full or read-only disk, a
/// journal that cannot be opened), commits are kept in memory, still sent, and written as soon as it can be again.
/// </summary>
/// <param name="NotWritableSince">When the journal stopped taking writes; null while it takes them.</param>
/// <param name="Problem">Why, in words (for example "the disk is full"); null while it takes writes.</param>
/// <param name="UnsavedPurges">Committed purges kept in memory only until the journal takes them.</param>
public sealed record JournalStatus(DateTimeOffset? NotWritableSince, string? Problem, int UnsavedPurges)
{
    public static JournalStatus Writable { get; } = new(null, null, 0);

    public bool IsWritable => NotWritableSince is null;
}
