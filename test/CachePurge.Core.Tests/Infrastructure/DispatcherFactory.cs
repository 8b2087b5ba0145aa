using CachePurge.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>Builds dispatchers the way a host does: with the purge client from DI; retries are shortened for tests.</summary>
public static class DispatcherFactory
{
    private static readonly Lazy<IHttpClientFactory> HttpClients = new(() =>
    {
        var services = new ServiceCollection();
        services.AddCachePurgeHttpClient();
        return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
    });

    public static IHttpClientFactory HttpClientFactory => HttpClients.Value;

    public static CachePurgeOptions Options(params CacheEndpoint[] endpoints) => new()
    {
        Endpoints = [.. endpoints],
        SiteHosts = ["www.example.com"],
        RetryAttempts = 1,
        RetryDelay = TimeSpan.FromMilliseconds(20),
        RedeliveryDelay = TimeSpan.FromMilliseconds(50),
        MaxRedeliveryDelay = TimeSpan.FromMilliseconds(400),
        DrainTimeout = TimeSpan.FromSeconds(2),
    };

    public static CacheEndpoint Endpoint(string name, Uri baseUrl, CacheKind kind = CacheKind.Varnish) => new()
    {
        Name = name,
        BaseUrl = baseUrl.ToString(),
        Kind = kind,
        Timeout = TimeSpan.FromSeconds(5),
        MaxConcurrency = 4,
    };

    public static PurgeDispatcher Start(CachePurgeOptions options, TimeProvider? time = null)
    {
        var dispatcher = new PurgeDispatcher("test", options, HttpClientFactory, timeProvider: time);
        dispatcher.Start();
        return dispatcher;
    }

    /// <summary>Commits one batch of <paramref name="urls"/>.</summary>
    public static void Commit(this PurgeDispatcher dispatcher, params string[] urls)
    {
        var batch = dispatcher.CreateBatch();
        foreach (var url in urls)
        {
            Assert.True(batch.AddUrl(url).IsValid, url);
        }

        batch.Commit();
    }

    /// <summary>Waits until every cache acknowledged everything, failing the test after <paramref name="seconds"/>.</summary>
    public static async Task DrainAsync(this PurgeDispatcher dispatcher, int seconds = 20)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            await dispatcher.WhenIdleAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"Purges still pending after {seconds} s: {string.Join(", ", dispatcher.GetPendingCounts())}");
        }
    }
}
