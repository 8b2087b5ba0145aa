namespace CachePurge.Core.Diagnostics;

/// <summary>The two publish-to-eviction windows of one dispatcher, shared by its queues.</summary>
internal sealed class LatencyWindows
{
    public LatencyWindow Acknowledged { get; } = new();

    public LatencyWindow Confirmed { get; } = new();

    public EvictionLatency Snapshot() => new(
        Acknowledged.Percentile(0.50),
        Acknowledged.Percentile(0.95),
        Confirmed.Percentile(0.50),
        Confirmed.Percentile(0.95));
}
