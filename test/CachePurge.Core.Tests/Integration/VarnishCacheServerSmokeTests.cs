using System.Net;
using CachePurge.Core.Tests.Infrastructure;

namespace CachePurge.Core.Tests.Integration;

/// <summary>The real Varnish fixture caches, purges, tag-purges (xkey) and bans, driven by plain HttpClient.</summary>
[Collection(VarnishCollection.Name)]
public sealed class VarnishCacheServerSmokeTests(VarnishFixture fixture)
{
    private static readonly HttpMethod _purge = new("PURGE");
    private static readonly HttpMethod _ban = new("BAN");

    private static string NewHost() => $"{Guid.NewGuid():N}.varnish.test";

    [Fact]
    public async Task Second_get_is_a_hit_with_the_same_body()
    {
        var body = await CachedPage.WarmAsync(fixture.Client, fixture.Cache, "/page", NewHost());
        Assert.NotEmpty(body);
        Assert.StartsWith("path=/page served=", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purge_makes_the_next_get_a_miss_with_a_new_body()
    {
        var host = NewHost();
        var cached = await CachedPage.WarmAsync(fixture.Client, fixture.Cache, "/a/b?x=1", host);

        using (var purge = await CacheProbe.SendAsync(fixture.Client, fixture.Cache, _purge, "/a/b?x=1", host))
        {
            Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        }

        await CachedPage.AssertEvictedAsync(fixture.Client, fixture.Cache, "/a/b?x=1", cached, host);
    }

    [Fact]
    public async Task Purge_of_a_page_that_is_not_cached_is_200()
    {
        using var purge = await CacheProbe.SendAsync(fixture.Client, fixture.Cache, _purge, "/never-cached", NewHost());

        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
    }

    [Fact]
    public async Task Xkey_purge_evicts_tagged_pages_only()
    {
        var host = NewHost();
        var tagA1 = "/t1?tags=tagA,tagB";
        var tagA2 = "/t2?tags=tagA";
        var other = "/t3?tags=tagC";
        var before = new Dictionary<string, string>();
        foreach (var path in new[] { tagA1, tagA2, other })
        {
            before[path] = (await CacheProbe.GetAsync(fixture.Client, fixture.Cache, path, host)).Body;
            Assert.True((await CacheProbe.GetAsync(fixture.Client, fixture.Cache, path, host)).Hit);
        }

        using (var purge = await CacheProbe.SendAsync(
            fixture.Client, fixture.Cache, _purge, "/", host, ("xkey-purge", "tagA")))
        {
            Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
            Assert.Equal("Invalidated 2 objects", await purge.Content.ReadAsStringAsync());
        }

        var a1 = await CacheProbe.GetAsync(fixture.Client, fixture.Cache, tagA1, host);
        var a2 = await CacheProbe.GetAsync(fixture.Client, fixture.Cache, tagA2, host);
        var c = await CacheProbe.GetAsync(fixture.Client, fixture.Cache, other, host);
        Assert.False(a1.Hit);
        Assert.NotEqual(before[tagA1], a1.Body);
        Assert.False(a2.Hit);
        Assert.True(c.Hit);
        Assert.Equal(before[other], c.Body);
    }

    [Fact]
    public async Task Xkey_header_is_not_sent_to_clients()
    {
        using var response = await CacheProbe.SendAsync(
            fixture.Client, fixture.Cache, HttpMethod.Get, "/hidden?tags=secret", NewHost());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("xkey"));
        Assert.True(response.Headers.Contains("Surrogate-Key"));
    }

    [Fact]
    public async Task Ban_evicts_everything_of_the_host_and_nothing_else()
    {
        var host = NewHost();
        var otherHost = NewHost();
        foreach (var path in new[] { "/one", "/two?x=1" })
        {
            await CacheProbe.GetAsync(fixture.Client, fixture.Cache, path, host);
            Assert.True((await CacheProbe.GetAsync(fixture.Client, fixture.Cache, path, host)).Hit);
        }

        await CacheProbe.GetAsync(fixture.Client, fixture.Cache, "/one", otherHost);

        using (var ban = await CacheProbe.SendAsync(fixture.Client, fixture.Cache, _ban, "/", host))
        {
            Assert.Equal(HttpStatusCode.OK, ban.StatusCode);
        }

        Assert.False((await CacheProbe.GetAsync(fixture.Client, fixture.Cache, "/one", host)).Hit);
        Assert.False((await CacheProbe.GetAsync(fixture.Client, fixture.Cache, "/two?x=1", host)).Hit);
        Assert.True((await CacheProbe.GetAsync(fixture.Client, fixture.Cache, "/one", otherHost)).Hit);
    }

    [Fact]
    public async Task Stopped_varnish_restarts_on_the_same_port_with_an_empty_cache()
    {
        await using var varnish = await VarnishServer.StartAsync(fixture.Origin);
        var port = varnish.Port;
        var host = NewHost();
        await CacheProbe.GetAsync(fixture.Client, varnish, "/restart", host);
        Assert.True((await CacheProbe.GetAsync(fixture.Client, varnish, "/restart", host)).Hit);

        await varnish.StopAsync();
        Assert.False(varnish.IsRunning);
        await Assert.ThrowsAsync<HttpRequestException>(
            () => CacheProbe.GetAsync(fixture.Client, varnish, "/restart", host));

        await varnish.StartAsync();
        Assert.Equal(port, varnish.Port);
        Assert.True(varnish.IsRunning);
        Assert.False((await CacheProbe.GetAsync(fixture.Client, varnish, "/restart", host)).Hit);
        Assert.True((await CacheProbe.GetAsync(fixture.Client, varnish, "/restart", host)).Hit);
    }
}
