namespace CachePurge.Core;

/// <summary>What one cache did in one minute.</summary>
/// <param name="Start">The minute's first instant (UTC).</param>
/// <param name="Succeeded">Requests the cache answered as purged or not cached.</param>
/// <param name="Failed">Requests that failed after their immediate retries (they are redelivered later).</param>
/// <param name="LatencyP50">Median publish-to-acknowledgement latency of the purges acknowledged in the minute; null when none was.</param>
/// <param name="LatencyP95">Its 95th percentile. Both are read from a histogram, so they are within about 10 % of the exact value.</param>
public sealed record MinuteActivity(DateTimeOffset Start, int Succeeded, int Failed, TimeSpan? LatencyP50, TimeSpan? LatencyP95);
