using CachePurge.Core;
using Microsoft.Extensions.Logging;

namespace CachePurge.Module.Services;

/// <summary>
/// Sends one batch to one cache alone and waits for the answer, for the operations page: testing a cache and
/// purging everything from one cache. It uses a short-lived engine of its own with no journal, so a cache that is
/// down is reported rather than retried for a day.
/// </summary>
public sealed class CacheEndpointTester
{
    /// <summary>The path a test purges: nothing should be cached there, so the test removes no real page.</summary>
    public const string ProbePath = "/cachepurge-probe";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly ILoggerFactory _loggerFactory;

    public CacheEndpointTester(IHttpClientFactory httpClientFactory, ILoggerFactory loggerFactory)
    {
        _httpClientFactory = httpClientFactory;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The requests sent to <paramref name="cacheName"/>, newest first; empty when there is no such cache.</summary>
    public async Task<IReadOnlyList<PurgeResult>> SendAsync(CachePurgeOptions options, string cacheName, Action<PurgeBatch> fill)
    {
        var endpoint = options.Endpoints.FirstOrDefault(e => string.Equals(e.Name, cacheName, StringComparison.OrdinalIgnoreCase));
        if (endpoint is null)
        {
            return [];
        }

        var alone = new CachePurgeOptions
        {
            Endpoints = [endpoint],
            SiteHosts = options.SiteHosts,
            PathBase = options.PathBase,
            EscalationThreshold = 0,
            JournalPath = null,
            DrainTimeout = TimeSpan.Zero,
        };

        await using var dispatcher = new PurgeDispatcher("cachepurge-test", alone, _httpClientFactory, _loggerFactory);
        dispatcher.Start();
        var batch = dispatcher.CreateBatch();
        fill(batch);
        batch.Commit();

        // Long enough for the attempt and the HTTP client's own retries; a failure after that is the answer.
        using var wait = new CancellationTokenSource(endpoint.Timeout * 2 + TimeSpan.FromSeconds(5));
        try
        {
            await dispatcher.WhenIdleAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return dispatcher.GetRecentResults();
    }
}
