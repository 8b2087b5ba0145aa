namespace CachePurge.Core.Protocols.Bunny;

/// <summary>
/// bunny.net's purge limits as rate limits the queue draws from (https://docs.bunny.net/docs/cdn-api-purge-rate-limits):
/// per account, a bucket per purge type, a token a purge. Pages (exact URLs) and tags draw from the exact bucket; a
/// purge of the whole pull zone from the prefix (wildcard) bucket, the stricter one, since bunny.net does not say which
/// bucket a pull zone purge or a tag purge counts in.
/// </summary>
internal static class BunnyRateLimits
{
    public const string Exact = "bunny-exact";
    public const string Prefix = "bunny-prefix";

    public static RateLimit[] For(BunnyPurgeLimits limits) =>
    [
        PerSecond(Exact, [PurgeTargetKind.Path, PurgeTargetKind.Tag], limits.ExactBurst, limits.ExactPerSecond),
        PerSecond(Prefix, [PurgeTargetKind.Everything], limits.PrefixBurst, limits.PrefixPerSecond),
    ];

    // One token a URL: Bunny takes one URL a call, so a path on several hosts and schemes draws one for each of its calls.
    // Slow rates refill a token at a time; fast ones a tenth of a second's worth every tenth of a second.
    private static RateLimit PerSecond(string name, PurgeTargetKind[] kinds, int burst, double perSecond) => perSecond >= 10
        ? new RateLimit(name, kinds, burst, (int)(perSecond / 10), TimeSpan.FromMilliseconds(100), PerUrl: true)
        : new RateLimit(name, kinds, burst, 1, TimeSpan.FromSeconds(1 / perSecond), PerUrl: true);
}
