using CachePurge.Core;
using CachePurge.Core.Tests.Infrastructure;

namespace CachePurge.Core.Tests.Integration;

[Collection(VarnishCollection.Name)]
public sealed class VarnishPurgeTests(VarnishFixture varnish)
{
    private readonly string _prefix = $"/varnish/{Guid.NewGuid():N}";

    [Fact]
    public async Task Purge_of_cached_page_makes_next_get_a_miss_on_varnish()
    {
        var path = _prefix + "/article?page=2";
        var cached = await CachedPage.WarmAsync(varnish.Client, varnish.Cache, path);
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("varnish", varnish.Cache.BaseUrl)));

        dispatcher.Commit($"https://{CachedPage.Host}{path}");
        await dispatcher.DrainAsync();

        await CachedPage.AssertEvictedAsync(varnish.Client, varnish.Cache, path, cached);
        Assert.Equal(PurgeOutcome.Purged, dispatcher.GetRecentResults().Single().Outcome);
    }

    [Fact]
    public async Task Purge_leaves_other_pages_cached_on_varnish()
    {
        var purged = await CachedPage.WarmAsync(varnish.Client, varnish.Cache, _prefix + "/a");
        var kept = await CachedPage.WarmAsync(varnish.Client, varnish.Cache, _prefix + "/b");
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("varnish", varnish.Cache.BaseUrl)));

        dispatcher.Commit(_prefix + "/a");
        await dispatcher.DrainAsync();

        await CachedPage.AssertEvictedAsync(varnish.Client, varnish.Cache, _prefix + "/a", purged);
        await CachedPage.AssertStillCachedAsync(varnish.Client, varnish.Cache, _prefix + "/b", kept);
    }

    [Fact]
    public async Task Each_site_host_is_purged_on_varnish()
    {
        var path = _prefix + "/hosts";
        var onWww = await CachedPage.WarmAsync(varnish.Client, varnish.Cache, path, "www.example.com");
        var onBare = await CachedPage.WarmAsync(varnish.Client, varnish.Cache, path, "example.com");
        var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("varnish", varnish.Cache.BaseUrl));
        options.SiteHosts = ["www.example.com", "example.com"];
        await using var dispatcher = DispatcherFactory.Start(options);

        dispatcher.Commit(path);
        await dispatcher.DrainAsync();

        await CachedPage.AssertEvictedAsync(varnish.Client, varnish.Cache, path, onWww, "www.example.com");
        await CachedPage.AssertEvictedAsync(varnish.Client, varnish.Cache, path, onBare, "example.com");
    }

    [Fact]
    public async Task Tag_purge_evicts_every_page_with_the_tag_and_only_those_on_varnish_xkey()
    {
        var tag = "ci-" + Guid.NewGuid().ToString("N");
        varnish.Origin.SetTags(_prefix + "/list", tag, "other");
        varnish.Origin.SetTags(_prefix + "/item", tag);
        varnish.Origin.SetTags(_prefix + "/unrelated", "other");
        var list = await CachedPage.WarmAsync(varnish.Client, varnish.Cache, _prefix + "/list");
        var item = await CachedPage.WarmAsync(varnish.Client, varnish.Cache, _prefix + "/item");
        var unrelated = await CachedPage.WarmAsync(varnish.Client, varnish.Cache, _prefix + "/unrelated");
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("varnish", varnish.Cache.BaseUrl)));

        var batch = dispatcher.CreateBatch();
        batch.AddTag(tag);
        batch.Commit();
        await dispatcher.DrainAsync();

        await CachedPage.AssertEvictedAsync(varnish.Client, varnish.Cache, _prefix + "/list", list);
        await CachedPage.AssertEvictedAsync(varnish.Client, varnish.Cache, _prefix + "/item", item);
        await CachedPage.AssertStillCachedAsync(varnish.Client, varnish.Cache, _prefix + "/unrelated", unrelated);
    }

    [Fact]
    public async Task Purge_of_everything_bans_the_site_host_on_varnish()
    {
        const string host = "ban.example.com";
        var a = await CachedPage.WarmAsync(varnish.Client, varnish.Cache, _prefix + "/a", host);
        var other = await CachedPage.WarmAsync(varnish.Client, varnish.Cache, _prefix + "/a", "kept.example.com");
        var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("varnish", varnish.Cache.BaseUrl));
        options.SiteHosts = [host];
        await using var dispatcher = DispatcherFactory.Start(options);

        var batch = dispatcher.CreateBatch();
        batch.AddEverything();
        batch.Commit();
        await dispatcher.DrainAsync();

        await CachedPage.AssertEvictedAsync(varnish.Client, varnish.Cache, _prefix + "/a", a, host);
        await CachedPage.AssertStillCachedAsync(varnish.Client, varnish.Cache, _prefix + "/a", other, "kept.example.com");
    }

    [Fact]
    public async Task Commit_does_not_wait_for_a_stopped_varnish()
    {
        await using var origin = await TestOrigin.StartAsync();
        await using var cache = await VarnishServer.StartAsync(origin);
        await cache.StopAsync();
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("varnish", cache.BaseUrl)));

        var commits = Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                dispatcher.Commit($"{_prefix}/down/{i}");
            }
        });

        Assert.Same(commits, await Task.WhenAny(commits, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Equal(500, dispatcher.GetPendingCounts()["varnish"]);
        await cache.StartAsync();
        await dispatcher.DrainAsync(seconds: 30);
    }
}
