namespace CachePurge.Core.Journal;

/// <summary>
/// Where committed purges wait until every endpoint has acknowledged them, so that neither a cache
/// that is down nor a restart loses one. Each write carries the commit's sequence number: an
/// acknowledgement removes an entry only if it was not committed again since the request was sent.
/// While the disk refuses writes, the journal keeps what it cannot write in memory and reads see it.
/// </summary>
internal interface IPurgeJournal : IDisposable
{
    /// <summary>The highest sequence number ever written; the dispatcher continues from it.</summary>
    long LastSequence { get; }

    /// <summary>Whether committed purges reach the disk now, and if not since when, why, and how many wait in memory.</summary>
    JournalStatus Status { get; }

    /// <summary>
    /// Records one committed batch (its targets, for each endpoint that can send them) at once, and returns its
    /// sequence number. Numbers are given in the order batches are written, so that reading the
    /// journal in sequence order never skips a batch written later with a smaller number.
    /// </summary>
    long Append(IReadOnlyList<(string Endpoint, PurgeTarget Target)> entries, DateTimeOffset committedAt);

    /// <summary>Forgets an entry acknowledged by its endpoint, unless it was committed after <paramref name="deliveredSequence"/>. For <see cref="PurgeTargetKind.Everything"/>, forgets every older entry of the endpoint.</summary>
    void Complete(string endpoint, PurgeTarget target, long deliveredSequence);

    /// <summary>Notes a failed attempt, so that the count and last error survive a restart.</summary>
    void RecordFailure(string endpoint, PurgeTarget target, string error);

    /// <summary>Moves an entry to the dead-letter list.</summary>
    void DeadLetter(string endpoint, PurgeTarget target, string error, DateTimeOffset at);

    /// <summary>Up to <paramref name="limit"/> entries of <paramref name="endpoint"/> after <paramref name="after"/>, in commit order; throws when the journal cannot be read.</summary>
    IReadOnlyList<JournalEntry> LoadPage(string endpoint, JournalCursor after, int limit);

    /// <summary>The smallest commit number of the entries still waiting (on disk or in memory), or null when none waits.</summary>
    long? OldestPendingSequence();

    /// <summary>How many entries each endpoint has waiting.</summary>
    IReadOnlyDictionary<string, int> CountPending();

    DeadLetterSummary GetDeadLetters();

    /// <summary>Moves every dead letter back to the pending entries, under a new sequence number, and returns them.</summary>
    IReadOnlyList<JournalEntry> ReplayDeadLetters(DateTimeOffset at);

    /// <summary>Writes buffered acknowledgements now.</summary>
    void Flush();

    /// <summary>Keeps <paramref name="results"/> (newest first) for the next dispatcher on this journal, in place of those kept before.</summary>
    void SaveRecentResults(IReadOnlyList<PurgeResult> results);

    /// <summary>The results kept by the last dispatcher on this journal, newest first, at most <paramref name="limit"/>.</summary>
    IReadOnlyList<PurgeResult> LoadRecentResults(int limit);
}
