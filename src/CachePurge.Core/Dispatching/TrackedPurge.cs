using CachePurge.Core.Protocols;

namespace CachePurge.Core.Dispatching;

/// <summary>A purge accepted by a CDN that completes later, with what it purges and when to ask about it next. Guarded by its tracker's lock.</summary>
internal sealed class TrackedPurge(PurgeTicket ticket, IReadOnlyList<PurgeTarget> targets, DateTimeOffset sent, TimeSpan firstInterval)
{
    public PurgeTicket Ticket { get; } = ticket;

    /// <summary>What the purge carries: sent again should the CDN give it up.</summary>
    public IReadOnlyList<PurgeTarget> Targets { get; } = targets;

    public DateTimeOffset Sent { get; } = sent;

    public DateTimeOffset NextAsk { get; set; } = sent + firstInterval;

    /// <summary>The wait before the next question when the CDN does not say; it doubles up to a cap.</summary>
    public TimeSpan Interval { get; set; } = firstInterval;

    public string? LastError { get; set; }
}
