namespace CachePurge.Core;

/// <summary>One request the dispatcher sent, as the admin pages show it.</summary>
/// <param name="Status">The HTTP status, or null when no answer came (connection refused, timeout).</param>
/// <param name="Error">What went wrong, for outcomes other than purged and not cached.</param>
/// <param name="Confirmed">For caches that confirm eviction: whether the page came back fresh afterwards; null when not checked.</param>
public sealed record PurgeResult(
    DateTimeOffset Time,
    string Endpoint,
    string Target,
    string Host,
    int? Status,
    PurgeOutcome Outcome,
    TimeSpan Latency,
    string? Error,
    bool? Confirmed = null);
