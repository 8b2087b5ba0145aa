using System.Threading.RateLimiting;
using CachePurge.Core.Protocols;

namespace CachePurge.Core.Dispatching;

/// <summary>One token bucket of a <see cref="PurgeRateBudget"/>, with the most tokens it holds.</summary>
internal sealed record RateBucket(TokenBucketRateLimiter Limiter, int Capacity)
{
    /// <param name="maxUrlsPerCall">A bucket counting URLs holds at least one call's worth, or that call could never be sent.</param>
    public static RateBucket Create(int burst, RateLimit limit, int maxUrlsPerCall)
    {
        var capacity = Math.Max(Math.Max(1, burst), limit.PerUrl ? maxUrlsPerCall : 1);
        return new(
            new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = capacity,
                TokensPerPeriod = Math.Max(1, limit.Refill),
                ReplenishmentPeriod = limit.Period,
                QueueLimit = int.MaxValue,
                AutoReplenishment = true,
            }),
            capacity);
    }
}
