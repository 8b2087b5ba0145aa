namespace CachePurge.Core.Journal;

/// <summary>
/// The order the journal is read back in, pages after a <see cref="JournalCursor"/>: commit number, then target kind,
/// then value, compared ordinally as SQLite compares text (paths and tags are ASCII). Pages merged from the database
/// and from memory must agree on it, or a cursor would step over an entry.
/// </summary>
internal static class JournalOrder
{
    public static int Compare(long sequence, PurgeTarget target, JournalCursor cursor)
    {
        var bySequence = sequence.CompareTo(cursor.Sequence);
        if (bySequence != 0)
        {
            return bySequence;
        }

        var byKind = ((int)target.Kind).CompareTo(cursor.Kind);
        return byKind != 0 ? byKind : string.CompareOrdinal(target.Value, cursor.Value);
    }

    public static int Compare(JournalEntry a, JournalEntry b) => Compare(a.Sequence, a.Target, JournalCursor.At(b));

    /// <summary>The first <paramref name="limit"/> of two pages, each in journal order, without duplicates of one entry.</summary>
    public static List<JournalEntry> Merge(IReadOnlyList<JournalEntry> a, IReadOnlyList<JournalEntry> b, int limit)
    {
        List<JournalEntry> merged = new(Math.Min(limit, a.Count + b.Count));
        int i = 0, j = 0;
        while (merged.Count < limit && (i < a.Count || j < b.Count))
        {
            var order = i == a.Count ? 1 : j == b.Count ? -1 : Compare(a[i], b[j]);
            merged.Add(order <= 0 ? a[i] : b[j]);
            if (order <= 0)
            {
                i++;
            }

            if (order >= 0)
            {
                j++;
            }
        }

        return merged;
    }
}
