using System.Net;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;
using OrchardCore.ContentManagement;
using OrchardCore.Html.Models;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// The cache policy through real caches that set no lifetimes of their own (<c>varnish-policy.vcl</c>,
/// <c>squid-policy.conf</c>, <c>nginx-policy.conf</c>): the site's headers alone decide what is kept and how long.
/// Varnish is the site's own cache, which purges reach; Squid and nginx are started in front of the site per test.
/// </summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class CachePolicyCacheTests(OrchardSite site)
{
    [Theory]
    [InlineData("varnish")]
    [InlineData("squid")]
    [InlineData("nginx")]
    public async Task Anonymous_page_is_a_hit_on_the_second_get_with_the_lifetime_of_its_content_type(string kind)
    {
        await CreatePageAsync($"policy-hit-{kind}", "policy hit text");
        await using var cache = await CacheInFrontAsync(kind);

        using var first = await GetAsync(cache, $"/policy-hit-{kind}");
        using var second = await GetAsync(cache, $"/policy-hit-{kind}");

        Assert.False(CacheProbe.IsHit(first));
        Assert.True(CacheProbe.IsHit(second), $"the second GET through {kind} was not a hit");
        Assert.Contains("policy hit text", await second.Content.ReadAsStringAsync());
        Assert.Contains("s-maxage=86400", second.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("varnish")]
    [InlineData("squid")]
    [InlineData("nginx")]
    public async Task A_signed_in_users_view_is_never_stored_nor_served_to_others(string kind)
    {
        await CreatePageAsync($"policy-signed-in-{kind}", "signed-in text");
        await using var cache = await CacheInFrontAsync(kind);
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);

        using var first = await GetAsync(cache, $"/policy-signed-in-{kind}", admin.CookieHeader);
        using var second = await GetAsync(cache, $"/policy-signed-in-{kind}", admin.CookieHeader);
        using var anonymous = await GetAsync(cache, $"/policy-signed-in-{kind}");

        Assert.Contains("LogOff", await first.Content.ReadAsStringAsync());
        Assert.False(CacheProbe.IsHit(second));
        Assert.False(CacheProbe.IsHit(anonymous));
        Assert.DoesNotContain("LogOff", await anonymous.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("varnish")]
    [InlineData("squid")]
    [InlineData("nginx")]
    public async Task The_admin_is_never_stored(string kind)
    {
        await using var cache = await CacheInFrontAsync(kind);
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);

        using var first = await GetAsync(cache, "/Admin/Contents/ContentItems", admin.CookieHeader);
        using var second = await GetAsync(cache, "/Admin/Contents/ContentItems", admin.CookieHeader);
        using var anonymous = await GetAsync(cache, "/Admin/Contents/ContentItems");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False(CacheProbe.IsHit(second));
        Assert.False(CacheProbe.IsHit(anonymous));
        Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode);
    }

    [Theory]
    [InlineData("varnish")]
    [InlineData("squid")]
    [InlineData("nginx")]
    public async Task A_page_with_a_form_is_never_stored_even_for_a_browser_that_has_the_antiforgery_cookie(string kind)
    {
        await site.EnsureFormPageTypeAsync();
        await site.CreateAsync("FormPage", $"policy-form-{kind}", "form", item => item.Alter<HtmlBodyPart>(p =>
            p.Html = """<form method="post" action="/subscribe">{% antiforgerytoken %}<button>Subscribe</button></form>"""));
        await using var cache = await CacheInFrontAsync(kind);

        // A browser's second visit sends the antiforgery cookie of its first, and Orchard then sets no cookie.
        using var first = await GetAsync(cache, $"/policy-form-{kind}");
        var cookie = string.Join("; ", first.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var second = await GetAsync(cache, $"/policy-form-{kind}", cookie);
        using var third = await GetAsync(cache, $"/policy-form-{kind}", cookie);

        Assert.Contains("__RequestVerificationToken", await third.Content.ReadAsStringAsync());
        Assert.Equal("no-store, no-cache", third.Headers.CacheControl?.ToString());
        Assert.False(CacheProbe.IsHit(second));
        Assert.False(CacheProbe.IsHit(third), $"the page with a form was served from {kind}");
    }

    [Fact]
    public async Task An_item_kept_a_day_is_a_miss_with_the_new_text_right_after_it_is_published()
    {
        var id = await CreatePageAsync("policy-day", "first day text");
        await GetAsync(site.Varnish, "/policy-day");
        using var cached = await GetAsync(site.Varnish, "/policy-day");
        Assert.True(CacheProbe.IsHit(cached));
        Assert.Contains("s-maxage=86400", cached.Headers.CacheControl?.ToString());

        await site.PublishEditAsync(id, item => item.Alter<HtmlBodyPart>(p => p.Html = "<p>second day text</p>"));
        await site.WhenPurgedAsync();

        using var next = await GetAsync(site.Varnish, "/policy-day");
        Assert.False(CacheProbe.IsHit(next));
        Assert.Contains("second day text", await next.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Varnish in front of a relay to the site, which the test takes down. The page is kept 2 s, may be served stale
    /// 1 s while it is fetched again, and <paramref name="staleIfError"/> seconds while the site is unreachable.
    /// </summary>
    [Theory]
    [InlineData(300, 200)]
    [InlineData(0, 503)]
    public async Task With_the_site_unreachable_varnish_serves_the_last_good_page_within_stale_if_error(int staleIfError, int status)
    {
        var path = $"/policy-stale-{staleIfError}";
        await CreatePageAsync(path.TrimStart('/'), "last good text");
        await using var relay = TcpRelay.Start(site.BaseUrl.Port);
        await using var varnish = await VarnishServer.StartAsync(relay.Port, OrchardSite.PolicyVcl);
        var before = await site.GetPolicyAsync();
        try
        {
            await site.UpdatePolicyAsync(p =>
            {
                p.ContentTypes.Single(r => r.ContentType == "Page").Seconds = 2;
                p.StaleWhileRevalidateSeconds = 1;
                p.StaleIfErrorSeconds = staleIfError;
            });
            await GetAsync(varnish, path);
            using (var cached = await GetAsync(varnish, path))
            {
                Assert.True(CacheProbe.IsHit(cached));
            }

            await relay.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(3.5));

            using var stale = await GetAsync(varnish, path);
            Assert.Equal(status, (int)stale.StatusCode);
            if (status == 200)
            {
                // Older than its lifetime and its stale-while-revalidate window together: served because the site failed.
                Assert.Contains("last good text", await stale.Content.ReadAsStringAsync());
                Assert.Contains("s-maxage=2,", stale.Headers.CacheControl?.ToString());
                Assert.True(stale.Headers.Age >= TimeSpan.FromSeconds(3), $"Age: {stale.Headers.Age}");
            }
        }
        finally
        {
            await site.RestorePolicyAsync(before);
        }
    }

    [Fact]
    public async Task Past_stale_while_revalidate_with_the_site_up_varnish_fetches_the_page_again_rather_than_serve_it_stale()
    {
        var id = await CreatePageAsync("policy-fresh", "old text");
        await using var varnish = await VarnishServer.StartAsync(site.BaseUrl.Port, OrchardSite.PolicyVcl);
        var before = await site.GetPolicyAsync();
        try
        {
            await site.UpdatePolicyAsync(p =>
            {
                p.ContentTypes.Single(r => r.ContentType == "Page").Seconds = 2;
                p.StaleWhileRevalidateSeconds = 1;
                p.StaleIfErrorSeconds = 300;
            });
            await GetAsync(varnish, "/policy-fresh");

            // Purges go to the site's own Varnish only, so this one keeps the old page until it expires.
            await site.PublishEditAsync(id, item => item.Alter<HtmlBodyPart>(p => p.Html = "<p>new text</p>"));
            await Task.Delay(TimeSpan.FromSeconds(3.5));

            using var next = await GetAsync(varnish, "/policy-fresh");
            Assert.Contains("new text", await next.Content.ReadAsStringAsync());
        }
        finally
        {
            await site.RestorePolicyAsync(before);
        }
    }

    private async Task<string> CreatePageAsync(string path, string text) =>
        await site.CreateAsync("Page", path, path, item => item.Alter<HtmlBodyPart>(p => p.Html = $"<p>{text}</p>"));

    /// <summary>The site's own Varnish, or a Squid or nginx started in front of the site for this test.</summary>
    private async Task<OwnedCache> CacheInFrontAsync(string kind) => kind switch
    {
        "varnish" => new(site.Varnish, owned: false),
        "squid" => new(await SquidServer.StartAsync(site.BaseUrl.Port, "squid-policy.conf"), owned: true),
        "nginx" => new(await NginxServer.StartAsync(site.BaseUrl.Port, "nginx-policy.conf"), owned: true),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private Task<HttpResponseMessage> GetAsync(CacheServer cache, string path, string cookie = null) =>
        cookie is null
            ? CacheProbe.SendAsync(site.CacheClient, cache, HttpMethod.Get, path, OrchardSite.Host)
            : CacheProbe.SendAsync(site.CacheClient, cache, HttpMethod.Get, path, OrchardSite.Host, ("Cookie", cookie));

    private sealed class OwnedCache(CacheServer server, bool owned) : IAsyncDisposable
    {
        public static implicit operator CacheServer(OwnedCache cache) => cache.Server;

        public CacheServer Server { get; } = server;

        public ValueTask DisposeAsync() => owned ? Server.DisposeAsync() : ValueTask.CompletedTask;
    }
}
