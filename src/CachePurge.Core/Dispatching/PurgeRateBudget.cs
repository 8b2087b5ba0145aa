using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using CachePurge.Core.Diagnostics;
using CachePurge.Core.Protocols;

namespace CachePurge.Core.Dispatching;

/// <summary>
/// Keeps one endpoint's calls within the rate limits its backend declares (<see cref="BackendCapabilities.RateLimits"/>):
/// before each call, a token from every bucket that applies to its kind, or one per URL where the backend counts URLs.
/// Buckets a CDN enforces per account live as long as the process and are shared by every endpoint of that account;
/// they keep half the documented burst in reserve, for what the network bunches together and for other users of the account.
/// </summary>
internal sealed class PurgeRateBudget : IDisposable
{
    private static readonly ConcurrentDictionary<string, RateBucket> Shared = new(StringComparer.Ordinal);

    private readonly (RateLimit Limit, RateBucket Bucket)[] _buckets;
    private readonly List<RateBucket> _owned = [];

    // Per bucket, how long this endpoint's calls waited for it in all (TimeSpan ticks): the operations page shows it.
    private readonly long[] _waited;
    private readonly string _endpoint;
    private readonly CachePurgeMetrics _metrics;
    private readonly TimeProvider _time;

    /// <param name="maxUrlsPerCall">The most URLs one call carries: a bucket must hold at least that many tokens.</param>
    public PurgeRateBudget(string endpoint, BackendCapabilities capabilities, int maxUrlsPerCall, CachePurgeMetrics metrics, TimeProvider time)
    {
        _endpoint = endpoint;
        _metrics = metrics;
        _time = time;
        _buckets = [.. capabilities.RateLimits.Select(limit => (limit, Find(limit, capabilities.RateScope, maxUrlsPerCall)))];
        _waited = new long[_buckets.Length];
    }

    /// <summary>Waits until a call of <paramref name="kind"/> naming <paramref name="urls"/> URLs may be sent.</summary>
    public async ValueTask AcquireAsync(PurgeTargetKind kind, int urls, CancellationToken stopping)
    {
        var started = _time.GetTimestamp();
        var waited = false;
        for (var i = 0; i < _buckets.Length; i++)
        {
            var (limit, bucket) = _buckets[i];
            if (limit.Applies(kind))
            {
                // A shared bucket made for another endpoint may hold fewer tokens than this call's URLs: it gives all it holds.
                var permits = limit.PerUrl ? Math.Min(urls, bucket.Capacity) : 1;
                long waitStarted = 0;
                while (!bucket.TryTake(permits))
                {
                    // Each waiting worker sleeps until the tokens it needs are due; the bucket has no timer to wake it.
                    waited = true;
                    waitStarted = waitStarted == 0 ? _time.GetTimestamp() : waitStarted;
                    await Task.Delay(bucket.TimeUntil(permits, limit), _time, stopping).ConfigureAwait(false);
                }

                if (waitStarted != 0)
                {
                    Interlocked.Add(ref _waited[i], _time.GetElapsedTime(waitStarted).Ticks);
                }
            }
        }

        if (waited)
        {
            _metrics.RateLimitWaited(_endpoint, _time.GetElapsedTime(started));
        }
    }

    /// <summary>Each bucket's tokens now, refilled for the time gone by, and how long this endpoint waited for it.</summary>
    public IReadOnlyList<RateBucketUse> Snapshot() =>
        [.. _buckets.Select((b, i) => new RateBucketUse(b.Limit.Name, b.Bucket.Available(), b.Bucket.Capacity, TimeSpan.FromTicks(Interlocked.Read(ref _waited[i]))))];

    public void Dispose()
    {
        foreach (var bucket in _owned)
        {
            bucket.Limiter.Dispose();
        }
    }

    private RateBucket Find(RateLimit limit, string? scope, int maxUrlsPerCall)
    {
        if (scope is null)
        {
            var own = RateBucket.Create(limit.Burst, limit, maxUrlsPerCall);
            _owned.Add(own);
            return own;
        }

        return Shared.GetOrAdd($"{scope}/{limit.Name}", _ => RateBucket.Create(limit.Burst / 2, limit, maxUrlsPerCall));
    }
}
