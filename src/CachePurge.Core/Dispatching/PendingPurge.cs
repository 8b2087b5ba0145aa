namespace CachePurge.Core.Dispatching;

/// <summary>A purge waiting for one endpoint. Fields are guarded by the owning queue's lock.</summary>
internal sealed class PendingPurge(PurgeTarget target, long sequence, DateTimeOffset firstCommitted, long committedTimestamp)
{
    public PurgeTarget Target { get; } = target;

    /// <summary>The sequence of the latest commit of this target; an acknowledgement only covers commits up to the one it was sent for.</summary>
    public long Sequence { get; set; } = sequence;

    public DateTimeOffset FirstCommitted { get; } = firstCommitted;

    /// <summary>When the latest commit happened (<see cref="TimeProvider.GetTimestamp"/>), for the delivery-latency histogram.</summary>
    public long CommittedTimestamp { get; set; } = committedTimestamp;

    public PendingState State { get; set; } = PendingState.Queued;

    /// <summary>Committed again while in flight: the page may have changed after the request left, so it is sent once more.</summary>
    public bool CommittedAgain { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }
}
