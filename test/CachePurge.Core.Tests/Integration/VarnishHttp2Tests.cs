using CachePurge.Core;
using CachePurge.Core.Tests.Infrastructure;

namespace CachePurge.Core.Tests.Integration;

/// <summary>The HTTP/2 switch against a real varnish: purges go as HTTP/2 streams (cleartext, prior knowledge) or not at all.</summary>
public sealed class VarnishHttp2Tests(VarnishHttp2Fixture varnish) : IClassFixture<VarnishHttp2Fixture>
{
    private readonly string _prefix = $"/varnish-h2/{Guid.NewGuid():N}";

    [Fact]
    public async Task Purge_over_http2_makes_next_get_a_miss_on_varnish()
    {
        var path = _prefix + "/article?page=2";
        var cached = await CachedPage.WarmAsync(varnish.Client, varnish.Cache, path);
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Http2Endpoint(varnish.Cache)));

        dispatcher.Commit($"https://{CachedPage.Host}{path}");
        await dispatcher.DrainAsync();

        await CachedPage.AssertEvictedAsync(varnish.Client, varnish.Cache, path, cached);
        Assert.Equal(PurgeOutcome.Purged, dispatcher.GetRecentResults().Single().Outcome);
    }

    [Fact]
    public async Task Many_purges_over_http2_each_evict_their_own_page_and_leave_the_others_cached()
    {
        var purged = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => CachedPage.WarmAsync(varnish.Client, varnish.Cache, $"{_prefix}/many/{i}")));
        var kept = await CachedPage.WarmAsync(varnish.Client, varnish.Cache, _prefix + "/kept");
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Http2Endpoint(varnish.Cache)));

        dispatcher.Commit([.. Enumerable.Range(0, 20).Select(i => $"{_prefix}/many/{i}")]);
        await dispatcher.DrainAsync();

        for (var i = 0; i < 20; i++)
        {
            await CachedPage.AssertEvictedAsync(varnish.Client, varnish.Cache, $"{_prefix}/many/{i}", purged[i]);
        }

        await CachedPage.AssertStillCachedAsync(varnish.Client, varnish.Cache, _prefix + "/kept", kept);
    }

    [Fact]
    public async Task A_varnish_without_http2_gets_no_purge_counted_and_nothing_falls_back_to_http_1_1()
    {
        await using var origin = await TestOrigin.StartAsync();
        await using var plain = await VarnishServer.StartAsync(origin);
        var cached = await CachedPage.WarmAsync(varnish.Client, plain, _prefix + "/plain");
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Http2Endpoint(plain)));

        dispatcher.Commit(_prefix + "/plain");
        await Eventually.WaitUntilAsync(() => dispatcher.GetRecentResults().Any(), 10);

        Assert.All(dispatcher.GetRecentResults(), r => Assert.Equal(PurgeOutcome.Failed, r.Outcome));
        Assert.Equal(1, dispatcher.GetPendingCounts()["varnish"]);
        await CachedPage.AssertStillCachedAsync(varnish.Client, plain, _prefix + "/plain", cached);
    }

    private static CacheEndpoint Http2Endpoint(CacheServer cache)
    {
        var endpoint = DispatcherFactory.Endpoint("varnish", cache.BaseUrl);
        endpoint.Http2 = true;
        return endpoint;
    }
}
