using System.Threading.RateLimiting;

namespace CachePurge.Core.Dispatching;

/// <summary>
/// Keeps one cache's requests under its <see cref="CacheEndpoint.RequestsPerSecond"/>: a token bucket refilled every
/// 100 ms with a tenth of the rate, so that a burst is at most a tenth of a second's worth.
/// </summary>
internal sealed class SendRateLimiter : IDisposable
{
    private readonly TokenBucketRateLimiter? _limiter;

    public SendRateLimiter(int requestsPerSecond)
    {
        if (requestsPerSecond > 0)
        {
            _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, requestsPerSecond / 10),
                TokensPerPeriod = Math.Max(1, requestsPerSecond / 10),
                ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
                QueueLimit = int.MaxValue,
                AutoReplenishment = true,
            });
        }
    }

    /// <summary>Waits until one more request may be sent.</summary>
    public async ValueTask AcquireAsync(CancellationToken stopping)
    {
        if (_limiter is not null)
        {
            using var lease = await _limiter.AcquireAsync(1, stopping).ConfigureAwait(false);
        }
    }

    public void Dispose() => _limiter?.Dispose();
}
