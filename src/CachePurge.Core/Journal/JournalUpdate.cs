namespace CachePurge.Core.Journal;

/// <summary>
/// A change to a pending entry, written behind in groups with the next commits: losing one only means a page is
/// purged twice or an attempt goes uncounted, never that a purge is lost.
/// </summary>
/// <param name="DeliveredSequence">For <see cref="JournalUpdateKind.Delivered"/>: the newest commit the acknowledged request carried.</param>
internal readonly record struct JournalUpdate(JournalUpdateKind Kind, string Endpoint, PurgeTarget Target, long DeliveredSequence, string? Error, DateTimeOffset At)
{
    public static JournalUpdate Delivered(string endpoint, PurgeTarget target, long deliveredSequence) =>
        new(JournalUpdateKind.Delivered, endpoint, target, deliveredSequence, null, default);

    public static JournalUpdate Failed(string endpoint, PurgeTarget target, string error) =>
        new(JournalUpdateKind.Failed, endpoint, target, 0, error, default);

    public static JournalUpdate DeadLettered(string endpoint, PurgeTarget target, string error, DateTimeOffset at) =>
        new(JournalUpdateKind.DeadLettered, endpoint, target, 0, error, at);
}
