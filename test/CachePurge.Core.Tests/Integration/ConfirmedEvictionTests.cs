using CachePurge.Testing;
using CachePurge.Core;
using CachePurge.Core.Tests.Infrastructure;

namespace CachePurge.Core.Tests.Integration;

[Collection(VarnishCollection.Name)]
public sealed class ConfirmedEvictionTests(VarnishFixture varnish)
{
    private readonly string _prefix = $"/confirm/{Guid.NewGuid():N}";

    [Fact]
    public async Task A_purge_on_varnish_is_confirmed_and_the_page_warmed_again()
    {
        var path = _prefix + "/page";
        var cached = await CachedPage.WarmAsync(varnish.Client, varnish.Cache, path);
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(ConfirmingEndpoint(varnish.Cache)));

        dispatcher.Commit(path);
        await dispatcher.DrainAsync();

        var result = dispatcher.GetRecentResults().Single();
        Assert.Equal((PurgeOutcome.Purged, true), (result.Outcome, result.Confirmed));
        var rewarmed = await CacheProbe.GetAsync(varnish.Client, varnish.Cache, path, CachedPage.Host);
        Assert.True(rewarmed.Hit, "the confirming fetch should have cached the fresh page");
        Assert.NotEqual(cached, rewarmed.Body);
        var latency = dispatcher.GetEvictionLatency();
        Assert.NotNull(latency.ConfirmedP95);
        Assert.True(latency.ConfirmedP50 >= latency.AcknowledgedP50);
    }

    [Fact]
    public async Task A_cache_that_ignores_the_purge_is_not_confirmed_and_the_purge_is_kept()
    {
        await using var origin = await TestOrigin.StartAsync();
        await using var ignoring = await VarnishServer.StartAsync(origin, "varnish-ignores-purge.vcl");
        var path = _prefix + "/stale";
        await CachedPage.WarmAsync(varnish.Client, ignoring, path);
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // so that the cached copy has an Age above 0
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(ConfirmingEndpoint(ignoring)));

        dispatcher.Commit(path);
        await Eventually.WaitUntilAsync(() => dispatcher.GetRecentResults().Count >= 2, 20);

        Assert.All(dispatcher.GetRecentResults(), r => Assert.Equal((PurgeOutcome.Purged, false), (r.Outcome, r.Confirmed)));
        Assert.Contains("not confirmed", dispatcher.GetRecentResults()[0].Error);
        Assert.Equal(1, dispatcher.GetPendingCounts()["varnish"]);
    }

    private static CacheEndpoint ConfirmingEndpoint(CacheServer cache)
    {
        var endpoint = DispatcherFactory.Endpoint("varnish", cache.BaseUrl);
        endpoint.ConfirmEviction = true;
        return endpoint;
    }
}
