using System.Threading.RateLimiting;
using CachePurge.Core.Protocols;

namespace CachePurge.Core.Dispatching;

/// <summary>
/// One token bucket of a <see cref="PurgeRateBudget"/>, with the most tokens it holds. It refills when asked, from the
/// time elapsed, rather than from a timer of its own: an idle site's buckets cost no wake-ups.
/// </summary>
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
                QueueLimit = 0,
                AutoReplenishment = false,
            }),
            capacity);
    }

    /// <summary>Takes <paramref name="permits"/> tokens if the bucket holds them now, after refilling it for the time gone by.</summary>
    public bool TryTake(int permits)
    {
        Limiter.TryReplenish();
        using var lease = Limiter.AttemptAcquire(permits);
        return lease.IsAcquired;
    }

    /// <summary>The tokens the bucket holds now, after refilling it for the time gone by; nothing is taken.</summary>
    public int Available()
    {
        try
        {
            Limiter.TryReplenish();
            return (int)Math.Min(Capacity, Limiter.GetStatistics()?.CurrentAvailablePermits ?? 0);
        }
        catch (ObjectDisposedException)
        {
            // The engine stopped and released its own buckets: none are left to give.
            return 0;
        }
    }

    /// <summary>About how long until <paramref name="permits"/> tokens are back, at the bucket's refill rate.</summary>
    public TimeSpan TimeUntil(int permits, RateLimit limit)
    {
        var available = Limiter.GetStatistics()?.CurrentAvailablePermits ?? 0;
        var missing = Math.Max(1, permits - available);
        var periods = (double)missing / Math.Max(1, limit.Refill);
        return TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (long)Math.Ceiling(periods * limit.Period.Ticks)));
    }
}
