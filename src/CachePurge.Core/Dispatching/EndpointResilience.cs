using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace CachePurge.Core.Dispatching;

/// <summary>
/// One cache's Polly pipeline: retries of transient answers (connection errors, 5xx, 408, 429) with
/// exponential back-off and jitter that honour <c>Retry-After</c>, and a circuit breaker of its own,
/// so that one cache that is down does not trip the others. What still fails after the retries is
/// redelivered later by the queue.
/// </summary>
internal static class EndpointResilience
{
    public static ResiliencePipeline<HttpResponseMessage> Build(CachePurgeOptions options, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };

        // No immediate retries (RetryAttempts 0) leaves every failure to the queue's redelivery.
        if (options.RetryAttempts > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.RetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldRetryAfterHeader = true,
            });
        }

        return builder
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 20,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(5),
            })
            .Build();
    }
}
