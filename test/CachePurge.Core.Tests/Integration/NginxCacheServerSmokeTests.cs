using System.Net;
using CachePurge.Core.Tests.Infrastructure;

namespace CachePurge.Core.Tests.Integration;

/// <summary>The real nginx proxy_cache caches and ngx_cache_purge evicts via GET /purge/..., driven by plain HttpClient.</summary>
[Collection(NginxCollection.Name)]
public sealed class NginxCacheServerSmokeTests(NginxFixture fixture)
{
    private static string NewHost() => $"{Guid.NewGuid():N}.nginx.test";

    [Fact]
    public async Task Second_get_is_a_hit_with_the_same_body()
    {
        var body = await CachedPage.WarmAsync(fixture.Client, fixture.Cache, "/page", NewHost());
        Assert.NotEmpty(body);
    }

    [Theory]
    [InlineData("/a/b")]
    [InlineData("/q?a=1&b=2")]
    [InlineData("/with%20space/x%2Fy?v=%41")]
    public async Task Get_purge_makes_the_next_get_a_miss_with_a_new_body(string path)
    {
        var host = NewHost();
        var cached = await CachedPage.WarmAsync(fixture.Client, fixture.Cache, path, host);

        using (var purge = await CacheProbe.SendAsync(fixture.Client, fixture.Cache, HttpMethod.Get, "/purge" + path, host))
        {
            Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
            Assert.Contains("Successful purge", await purge.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await CachedPage.AssertEvictedAsync(fixture.Client, fixture.Cache, path, cached, host);
    }

    [Fact]
    public async Task Purge_of_a_page_that_is_not_cached_is_404()
    {
        using var purge = await CacheProbe.SendAsync(
            fixture.Client, fixture.Cache, HttpMethod.Get, "/purge/never-cached", NewHost());

        Assert.Equal(HttpStatusCode.NotFound, purge.StatusCode);
    }

    [Fact]
    public async Task Purge_is_per_host()
    {
        var host = NewHost();
        var otherHost = NewHost();
        await CacheProbe.GetAsync(fixture.Client, fixture.Cache, "/shared", host);
        await CacheProbe.GetAsync(fixture.Client, fixture.Cache, "/shared", otherHost);

        using (var purge = await CacheProbe.SendAsync(fixture.Client, fixture.Cache, HttpMethod.Get, "/purge/shared", host))
        {
            Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        }

        Assert.False((await CacheProbe.GetAsync(fixture.Client, fixture.Cache, "/shared", host)).Hit);
        Assert.True((await CacheProbe.GetAsync(fixture.Client, fixture.Cache, "/shared", otherHost)).Hit);
    }

    /// <summary>
    /// Debian 12 ships ngx_cache_purge 2.3 (FRiCKLE), which has no partial-key support: "*" is taken
    /// literally, the key "host/*" is not in the cache, so the answer is 404 and nothing is evicted.
    /// An engine must purge nginx URL by URL. If this test fails, the module gained wildcard support.
    /// </summary>
    [Theory]
    [InlineData("/purge/*")]
    [InlineData("/purge/w/*")]
    public async Task Wildcard_purge_is_not_supported_by_the_debian_module(string purgePath)
    {
        var host = NewHost();
        await CacheProbe.GetAsync(fixture.Client, fixture.Cache, "/w/1", host);
        await CacheProbe.GetAsync(fixture.Client, fixture.Cache, "/w/2", host);

        using (var purge = await CacheProbe.SendAsync(fixture.Client, fixture.Cache, HttpMethod.Get, purgePath, host))
        {
            Assert.Equal(HttpStatusCode.NotFound, purge.StatusCode);
        }

        Assert.True((await CacheProbe.GetAsync(fixture.Client, fixture.Cache, "/w/1", host)).Hit);
        Assert.True((await CacheProbe.GetAsync(fixture.Client, fixture.Cache, "/w/2", host)).Hit);
    }
}
