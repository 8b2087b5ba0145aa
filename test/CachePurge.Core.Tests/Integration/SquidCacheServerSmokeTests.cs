using System.Net;
using CachePurge.Core.Tests.Infrastructure;

namespace CachePurge.Core.Tests.Integration;

/// <summary>The real Squid accelerator caches and honours PURGE from localhost, driven by plain HttpClient.</summary>
[Collection(SquidCollection.Name)]
public sealed class SquidCacheServerSmokeTests(SquidFixture fixture)
{
    private static readonly HttpMethod _purge = new("PURGE");

    private static string NewHost() => $"{Guid.NewGuid():N}.squid.test";

    [Fact]
    public async Task Second_get_is_a_hit_with_the_same_body()
    {
        var body = await CachedPage.WarmAsync(fixture.Client, fixture.Cache, "/page", NewHost());
        Assert.NotEmpty(body);
        Assert.Equal(1, fixture.Origin.RequestCount("/page"));
    }

    [Fact]
    public async Task Purge_makes_the_next_get_a_miss_with_a_new_body()
    {
        var host = NewHost();
        var cached = await CachedPage.WarmAsync(fixture.Client, fixture.Cache, "/a/b", host);

        using (var purge = await CacheProbe.SendAsync(fixture.Client, fixture.Cache, _purge, "/a/b", host))
        {
            Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        }

        await CachedPage.AssertEvictedAsync(fixture.Client, fixture.Cache, "/a/b", cached, host);
    }

    [Fact]
    public async Task Purge_of_a_page_that_is_not_cached_is_404()
    {
        using var purge = await CacheProbe.SendAsync(fixture.Client, fixture.Cache, _purge, "/never-cached", NewHost());

        Assert.Equal(HttpStatusCode.NotFound, purge.StatusCode);
    }

    [Fact]
    public async Task Purge_is_per_host()
    {
        var host = NewHost();
        var otherHost = NewHost();
        await CacheProbe.GetAsync(fixture.Client, fixture.Cache, "/shared", host);
        var other = await CacheProbe.GetAsync(fixture.Client, fixture.Cache, "/shared", otherHost);

        using (var purge = await CacheProbe.SendAsync(fixture.Client, fixture.Cache, _purge, "/shared", host))
        {
            Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        }

        Assert.False((await CacheProbe.GetAsync(fixture.Client, fixture.Cache, "/shared", host)).Hit);
        var stillCached = await CacheProbe.GetAsync(fixture.Client, fixture.Cache, "/shared", otherHost);
        Assert.True(stillCached.Hit);
        Assert.Equal(other.Body, stillCached.Body);
    }
}
