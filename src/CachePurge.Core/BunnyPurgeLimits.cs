namespace CachePurge.Core;

/// <summary>
/// bunny.net's purge rate limits for one account (https://docs.bunny.net/docs/cdn-api-purge-rate-limits): a token
/// bucket per purge type, one token a purge. Exact purges (one URL) burst 120 and refill 5 a second; prefix purges (a
/// wildcard, which is what a purge of the whole pull zone is counted with here) burst 20 and refill one every two
/// seconds. bunny.net's support can raise them for an account; then give the raised ones here.
/// </summary>
/// <param name="ExactBurst">Exact purges the bucket holds.</param>
/// <param name="ExactPerSecond">Exact purges the bucket gains a second.</param>
/// <param name="PrefixBurst">Prefix purges the bucket holds.</param>
/// <param name="PrefixPerSecond">Prefix purges the bucket gains a second.</param>
public sealed record BunnyPurgeLimits(int ExactBurst, double ExactPerSecond, int PrefixBurst, double PrefixPerSecond)
{
    /// <summary>The limits bunny.net documents for every account.</summary>
    public static BunnyPurgeLimits Documented { get; } = new(120, 5, 20, 0.5);
}
