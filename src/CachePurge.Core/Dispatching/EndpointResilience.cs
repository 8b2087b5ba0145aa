using System.Net;
using System.Net.Http.Headers;
using CachePurge.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CachePurge.Core.Dispatching;

/// <summary>
/// One cache's immediate retries and circuit breaker. A transient failure (no answer, a timeout, 5xx, 408, 429) is
/// tried again up to <see cref="CachePurgeOptions.RetryAttempts"/> times, after an exponential back-off with jitter or
/// the cache's <c>Retry-After</c>; what still fails is redelivered later by the queue. Each cache has a breaker of its
/// own (<see cref="CircuitBreaker"/>), so that one cache that is down does not hold back the others. Nothing here
/// allocates or locks on the way of a purge that succeeds.
/// </summary>
internal sealed class EndpointResilience
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly CachePurgeOptions _options;

    public EndpointResilience(CacheEndpoint endpoint, CachePurgeOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        Breaker = new CircuitBreaker(
            time,
            (failures, attempts) => CachePurgeLog.CircuitOpened(logger, endpoint.Name, failures, attempts, CircuitBreaker.SamplingDuration.TotalSeconds, CircuitBreaker.BreakDuration.TotalSeconds),
            () => CachePurgeLog.CircuitClosed(logger, endpoint.Name));
    }

    public CircuitBreaker Breaker { get; }

    public int RetryAttempts => _options.RetryAttempts;

    /// <summary>Answers worth trying again at once: the cache is busy or failing, not refusing us.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>The wait before retry <paramref name="retry"/> (1-based): the cache's <c>Retry-After</c>, or <see cref="CachePurgeOptions.RetryDelay"/> doubled each time, ±20 %.</summary>
    public TimeSpan RetryDelay(int retry, RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        var delay = retryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => _options.RetryDelay * Math.Pow(2, Math.Min(retry - 1, 16)) * (0.8 + (Random.Shared.NextDouble() * 0.4)),
        };

        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxRetryDelay ? MaxRetryDelay : delay;
    }
}
