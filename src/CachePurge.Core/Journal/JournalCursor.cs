namespace CachePurge.Core.Journal;

/// <summary>A position in the journal's commit order (sequence, then target), for reading it in pages.</summary>
internal readonly record struct JournalCursor(long Sequence, int Kind, string Value)
{
    public static JournalCursor Start { get; } = new(0, 0, "");

    /// <summary>Just after every entry committed up to and including <paramref name="sequence"/>.</summary>
    public static JournalCursor After(long sequence) => new(sequence, int.MaxValue, "");

    public static JournalCursor At(JournalEntry entry) => new(entry.Sequence, (int)entry.Target.Kind, entry.Target.Value);
}
