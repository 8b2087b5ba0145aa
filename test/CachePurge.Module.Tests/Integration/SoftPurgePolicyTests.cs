using System.Diagnostics;
using CachePurge.Core;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;
using OrchardCore.ContentManagement;
using OrchardCore.Html.Models;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// Soft purge on the sample site behind Varnish with the policy VCL and the sample recipe's cache policy (pages kept a
/// day, stale-while-revalidate 30 s). The Varnish fetches from a relay that counts the site's renders of a page and
/// holds them <see cref="Render"/>, so that a GET that waits for the site is told from one served at once. A hard purge
/// makes the next GETs wait for the new page (Varnish coalesces them into one fetch too); a soft purge serves them the
/// old page at once while Varnish fetches the new one, once.
/// </summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class SoftPurgePolicyTests(OrchardSite site)
{
    private static readonly TimeSpan Render = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task After_a_soft_purge_the_next_get_is_served_the_old_page_at_once_and_the_new_page_shortly_after()
    {
        await using var cache = await SoftPurgedVarnishAsync();
        try
        {
            var id = await CreatePageAsync("soft-next", "old soft text");
            await cache.WarmAsync("/soft-next");

            await site.PublishEditAsync(id, item => item.Alter<HtmlBodyPart>(p => p.Html = "<p>new soft text</p>"));
            await site.WhenPurgedAsync();
            var watch = Stopwatch.StartNew();
            using var next = await cache.GetAsync("/soft-next");
            var served = watch.Elapsed;

            Assert.Contains("old soft text", await next.Content.ReadAsStringAsync());
            Assert.True(CacheProbe.IsHit(next), "the GET after the soft purge was not served from the cache");
            Assert.True(served < Render, $"the GET after the soft purge took {served.TotalSeconds:0.0} s, as long as the site's render");
            await Eventually.WaitUntilAsync(() => cache.Relay.RequestCount("/soft-next") == 2, 10);
            await WaitForTextAsync(cache, "/soft-next", "new soft text");
        }
        finally
        {
            await cache.RestoreAsync();
        }
    }

    [Fact]
    public async Task Fifty_gets_right_after_a_soft_purge_are_served_the_old_page_at_once_while_the_site_renders_it_once()
    {
        await using var cache = await SoftPurgedVarnishAsync();
        try
        {
            var id = await CreatePageAsync("soft-stampede", "old stampede text");
            await cache.WarmAsync("/soft-stampede");

            await site.PublishEditAsync(id, item => item.Alter<HtmlBodyPart>(p => p.Html = "<p>new stampede text</p>"));
            await site.WhenPurgedAsync();
            var watch = Stopwatch.StartNew();
            var bodies = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
            {
                using var response = await cache.GetAsync("/soft-stampede");
                return await response.Content.ReadAsStringAsync();
            }));
            var served = watch.Elapsed;

            Assert.All(bodies, body => Assert.Contains("old stampede text", body));
            Assert.True(served < Render, $"50 GETs after the soft purge took {served.TotalSeconds:0.0} s, as long as the site's render");
            await WaitForTextAsync(cache, "/soft-stampede", "new stampede text");

            // The warming render, then one refetch for all 50.
            Assert.Equal(2, cache.Relay.RequestCount("/soft-stampede"));
        }
        finally
        {
            await cache.RestoreAsync();
        }
    }

    private async Task<string> CreatePageAsync(string path, string text) =>
        await site.CreateAsync("Page", path, path, item => item.Alter<HtmlBodyPart>(p => p.Html = $"<p>{text}</p>"));

    private static async Task WaitForTextAsync(SoftPurgedVarnish cache, string path, string text)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var response = await cache.GetAsync(path);
            if ((await response.Content.ReadAsStringAsync()).Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15), $"'{text}' was not served within 15 s of the soft purge");
            await Task.Delay(200);
        }
    }

    /// <summary>A Varnish with the policy VCL in front of a relay to the site, as the site's only cache, purged softly.</summary>
    private async Task<SoftPurgedVarnish> SoftPurgedVarnishAsync()
    {
        var before = await site.GetSettingsAsync();
        var relay = TcpRelay.Start(site.BaseUrl.Port);
        var varnish = await VarnishServer.StartAsync(relay.Port, OrchardSite.PolicyVcl);
        var cache = new SoftPurgedVarnish(site, relay, varnish, before);
        await site.UpdateSettingsAsync(s => s.Caches =
        [
            new() { Name = "soft", BaseUrl = varnish.BaseUrl.ToString().TrimEnd('/'), Kind = CacheKind.Varnish, TagHeader = "xkey-purge", TimeoutSeconds = 5, SoftPurge = true },
        ]);
        await site.WhenPurgedAsync();
        return cache;
    }

    private sealed class SoftPurgedVarnish(OrchardSite site, TcpRelay relay, VarnishServer varnish, Module.Models.CachePurgeSettings before) : IAsyncDisposable
    {
        public TcpRelay Relay { get; } = relay;

        public Task<HttpResponseMessage> GetAsync(string path) =>
            CacheProbe.SendAsync(site.CacheClient, varnish, HttpMethod.Get, path, OrchardSite.Host);

        /// <summary>Caches the page, then holds the site's next renders of it.</summary>
        public async Task WarmAsync(string path)
        {
            using (await GetAsync(path))
            {
            }

            using var cached = await GetAsync(path);
            Assert.True(CacheProbe.IsHit(cached), $"{path} was not cached");
            Assert.Equal(1, Relay.RequestCount(path));
            Relay.Slow(path, Render);
        }

        public async Task RestoreAsync()
        {
            await site.RestoreSettingsAsync(before);
            await site.WhenPurgedAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await varnish.DisposeAsync();
            await Relay.DisposeAsync();
        }
    }
}
