using CachePurge.Core.Journal;

namespace CachePurge.Core;

/// <summary>How one cache is doing, as an operator looks at it first: a snapshot taken by <see cref="PurgeDispatcher.GetEndpointHealth"/>.</summary>
/// <param name="Endpoint">The cache's name.</param>
/// <param name="LastSuccess">When the cache last answered a request as purged or not cached; null when it has not since the site started.</param>
/// <param name="LastError">The last error, with how many requests in a row ended with it; null when none has.</param>
/// <param name="Circuit">Whether purges go out, wait, or one attempt is testing the cache.</param>
/// <param name="CircuitOpenUntil">While <see cref="CircuitState.Open"/>: when the break ends and the next attempt tests the cache (in the past when no purge has been due since).</param>
/// <param name="Journal">Whether the engine's journal, which every cache shares, takes writes.</param>
/// <param name="LastHour">The last sixty minutes, oldest first, the current minute last; minutes without a request are zeros.</param>
public sealed record EndpointHealth(
    string Endpoint,
    DateTimeOffset? LastSuccess,
    EndpointError? LastError,
    CircuitState Circuit,
    DateTimeOffset? CircuitOpenUntil,
    JournalStatus Journal,
    IReadOnlyList<MinuteActivity> LastHour)
{
    /// <summary>Each rate limit the cache is paced by, with the tokens left now; empty when it has none.</summary>
    public IReadOnlyList<RateBucketUse> RateBudget { get; init; } = [];

    /// <summary>The calls sent to the cache that it has not answered yet, now.</summary>
    public int CallsInFlight { get; init; }
}
