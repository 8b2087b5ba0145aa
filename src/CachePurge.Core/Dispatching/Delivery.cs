namespace CachePurge.Core.Dispatching;

/// <summary>What sending one target to one endpoint (on every host) came to.</summary>
/// <param name="Confirmed">Whether a fetch through the cache came back fresh; null when not checked.</param>
internal readonly record struct Delivery(PurgeOutcome Outcome, int? Status, string? Error, bool? Confirmed = null)
{
    public bool Succeeded => Outcome is PurgeOutcome.Purged or PurgeOutcome.NotCached && Confirmed != false;

    /// <summary>When the cache acknowledged (<see cref="TimeProvider.GetTimestamp"/>), before any confirmation.</summary>
    public long AcknowledgedTimestamp { get; init; }

    /// <summary>The result recorded for the last request of this delivery.</summary>
    public PurgeResult? Result { get; init; }
}
