namespace CachePurge.Core.Journal;

/// <summary>
/// Where committed purges wait until every endpoint has acknowledged them, so that neither a cache
/// that is down nor a restart loses one. Each write carries the commit's sequence number: an
/// acknowledgement removes an entry only if it was not committed again since the request was sent.
/// </summary>
internal interface IPurgeJournal : IDisposable
{
    /// <summary>The highest sequence number ever written; the dispatcher continues from it.</summary>
    long LastSequence { get; }

    /// <summary>Durably records one committed batch for every endpoint, in one transaction.</summary>
    void Append(IReadOnlyCollection<PurgeTarget> targets, IReadOnlyList<string> endpoints, long sequence, DateTimeOffset committedAt);

    /// <summary>Forgets an entry acknowledged by its endpoint, unless it was committed after <paramref name="deliveredSequence"/>. For <see cref="PurgeTargetKind.Everything"/>, forgets every older entry of the endpoint.</summary>
    void Complete(string endpoint, PurgeTarget target, long deliveredSequence);

    /// <summary>Notes a failed attempt, so that the count and last error survive a restart.</summary>
    void RecordFailure(string endpoint, PurgeTarget target, string error);

    /// <summary>Moves an entry to the dead-letter list.</summary>
    void DeadLetter(string endpoint, PurgeTarget target, string error, DateTimeOffset at);

    /// <summary>Every entry still waiting, oldest first.</summary>
    IReadOnlyList<JournalEntry> LoadPending();

    DeadLetterSummary GetDeadLetters();

    /// <summary>Moves every dead letter back to the pending entries and returns them.</summary>
    IReadOnlyList<JournalEntry> ReplayDeadLetters(long sequence, DateTimeOffset at);

    /// <summary>Writes buffered acknowledgements now.</summary>
    void Flush();
}
