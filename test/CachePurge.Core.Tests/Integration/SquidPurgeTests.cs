using CachePurge.Core;
using CachePurge.Core.Tests.Infrastructure;

namespace CachePurge.Core.Tests.Integration;

[Collection(SquidCollection.Name)]
public sealed class SquidPurgeTests(SquidFixture squid)
{
    private readonly string _prefix = $"/squid/{Guid.NewGuid():N}";

    [Fact]
    public async Task Purge_of_cached_page_makes_next_get_a_miss_on_squid()
    {
        var path = _prefix + "/article?page=2";
        var cached = await CachedPage.WarmAsync(squid.Client, squid.Cache, path);
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("squid", squid.Cache.BaseUrl, CacheKind.Squid)));

        dispatcher.Commit(path);
        await dispatcher.DrainAsync();

        await CachedPage.AssertEvictedAsync(squid.Client, squid.Cache, path, cached);
        Assert.Equal(PurgeOutcome.Purged, dispatcher.GetRecentResults().Single().Outcome);
    }

    [Fact]
    public async Task Purge_of_a_page_squid_does_not_hold_counts_as_done()
    {
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("squid", squid.Cache.BaseUrl, CacheKind.Squid)));

        dispatcher.Commit(_prefix + "/never-cached");
        await dispatcher.DrainAsync();

        var result = dispatcher.GetRecentResults().Single();
        Assert.Equal((PurgeOutcome.NotCached, 404), (result.Outcome, result.Status));
    }
}
