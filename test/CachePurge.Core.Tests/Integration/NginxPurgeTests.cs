using CachePurge.Core;
using CachePurge.Core.Tests.Infrastructure;

namespace CachePurge.Core.Tests.Integration;

[Collection(NginxCollection.Name)]
public sealed class NginxPurgeTests(NginxFixture nginx)
{
    private readonly string _prefix = $"/nginx/{Guid.NewGuid():N}";

    [Fact]
    public async Task Purge_of_cached_page_makes_next_get_a_miss_on_nginx()
    {
        var path = _prefix + "/article?page=2";
        var cached = await CachedPage.WarmAsync(nginx.Client, nginx.Cache, path);
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("nginx", nginx.Cache.BaseUrl, CacheKind.Nginx)));

        dispatcher.Commit(path);
        await dispatcher.DrainAsync();

        await CachedPage.AssertEvictedAsync(nginx.Client, nginx.Cache, path, cached);
        Assert.Equal(PurgeOutcome.Purged, dispatcher.GetRecentResults().Single().Outcome);
    }

    [Fact]
    public async Task Purge_of_a_page_nginx_does_not_hold_counts_as_done()
    {
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("nginx", nginx.Cache.BaseUrl, CacheKind.Nginx)));

        dispatcher.Commit(_prefix + "/never-cached");
        await dispatcher.DrainAsync();

        Assert.Equal(PurgeOutcome.NotCached, dispatcher.GetRecentResults().Single().Outcome);
    }
}
