using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace CachePurge.Core;

/// <summary>
/// The one named <see cref="HttpClient"/> all purges go through: pooled keep-alive connections,
/// and a resilience pipeline per cache (selected by authority) with retries that back off with
/// jitter and honour <c>Retry-After</c>, and a circuit breaker. Each cache's timeout is its client's
/// <see cref="HttpClient.Timeout"/>: a timer per request that costs less than a timeout strategy per attempt.
/// </summary>
public static class CachePurgeHttp
{
    public const string ClientName = "CachePurge";

    /// <summary>Registers the purge client. <paramref name="configure"/> may tune retries (tests shorten the delays).</summary>
    public static IHttpClientBuilder AddCachePurgeHttpClient(this IServiceCollection services, Action<HttpRetryStrategyOptions>? configure = null)
    {
        var builder = services
            .AddHttpClient(ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                UseProxy = false,
                AutomaticDecompression = DecompressionMethods.None,
                MaxConnectionsPerServer = 256,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)

            // The engine logs every outcome itself, with stable event ids; the factory's per-request
            // logging handlers would only add a log scope and two events to each of thousands of purges.
            .RemoveAllLoggers();

        builder.AddResilienceHandler("cache-purge", pipeline =>
        {
            var retry = new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldRetryAfterHeader = true,
            };
            configure?.Invoke(retry);
            pipeline.AddRetry(retry);
            pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 20,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(5),
            });
        }).SelectPipelineByAuthority();

        return builder;
    }
}
