namespace CachePurge.Core.Dispatching;

/// <summary>What sending one target to one endpoint (on every host) came to.</summary>
internal readonly record struct Delivery(PurgeOutcome Outcome, int? Status, string? Error)
{
    public bool Succeeded => Outcome is PurgeOutcome.Purged or PurgeOutcome.NotCached;
}
