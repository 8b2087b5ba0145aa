namespace CachePurge.Core;

/// <summary>Publish-to-eviction latency over the recent purges: to the cache's acknowledgement, and to confirmed eviction where caches confirm.</summary>
public sealed record EvictionLatency(TimeSpan? AcknowledgedP50, TimeSpan? AcknowledgedP95, TimeSpan? ConfirmedP50, TimeSpan? ConfirmedP95);
