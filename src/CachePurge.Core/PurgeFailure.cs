namespace CachePurge.Core;

/// <summary>
/// A purge that a cache did not take, as <see cref="PurgeDispatcher.Failed"/> reports it: once when the engine gives
/// it up (<paramref name="DeadLettered"/>), and otherwise as often as the engine logs such failures (once a minute per
/// cache and kind of error), so that a cache that is down does not report every purge it misses.
/// </summary>
/// <param name="Endpoint">The cache's name.</param>
/// <param name="Target">What was to be purged: a path, a tag or everything, as the admin pages show it.</param>
/// <param name="Status">The cache's HTTP status, or null when no answer came.</param>
/// <param name="Error">What went wrong.</param>
/// <param name="DeadLettered">Whether the engine gave the purge up and moved it to the dead-letter list.</param>
public sealed record PurgeFailure(DateTimeOffset Time, string Endpoint, string Target, PurgeOutcome Outcome, int? Status, string Error, bool DeadLettered);
