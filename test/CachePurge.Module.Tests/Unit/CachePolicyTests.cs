using CachePurge.Module.Models;
using CachePurge.Module.Services;
using Microsoft.AspNetCore.Http;

namespace CachePurge.Module.Tests.Unit;

/// <summary>Which rule gives a page its lifetime, and the headers that say it.</summary>
public sealed class CachePolicyTests
{
    private static readonly CachePolicySettings _settings = new()
    {
        Enabled = true,
        DefaultSeconds = 600,
        HomePageSeconds = 300,
        NotFoundSeconds = 60,
        RedirectSeconds = 3600,
        ContentTypes =
        [
            new() { ContentType = "Article", Seconds = 86400 },
            new() { ContentType = "Blog", Seconds = 600 },
            new() { ContentType = "Search", Seconds = 0 },
        ],
        Paths =
        [
            new() { Match = "/feeds", Seconds = 900 },
            new() { Match = "^/tags/[^/]+$", Seconds = 120 },
            new() { Match = "/tags/", Seconds = 240 },
        ],
    };

    [Theory]
    [InlineData(200, "/blog/post", "Article", false, 86400, CachePolicyRuleKind.ContentType, "Article")]
    [InlineData(200, "/blog/post", "article", false, 86400, CachePolicyRuleKind.ContentType, "article")]
    [InlineData(200, "/blog", "Blog", false, 600, CachePolicyRuleKind.ContentType, "Blog")]
    [InlineData(200, "/search", "Search", false, 0, CachePolicyRuleKind.ContentType, "Search")]
    [InlineData(200, "/", "Page", true, 300, CachePolicyRuleKind.HomePage, null)]
    [InlineData(200, "/home", "Page", true, 300, CachePolicyRuleKind.HomePage, null)]
    [InlineData(200, "/", null, true, 300, CachePolicyRuleKind.HomePage, null)]
    [InlineData(200, "/feeds/item", "Article", false, 86400, CachePolicyRuleKind.ContentType, "Article")]
    [InlineData(200, "/feeds", null, false, 900, CachePolicyRuleKind.Path, "/feeds")]
    [InlineData(200, "/feeds/rss", null, false, 900, CachePolicyRuleKind.Path, "/feeds")]
    [InlineData(200, "/FEEDS/rss", null, false, 900, CachePolicyRuleKind.Path, "/feeds")]
    [InlineData(200, "/feeds/rss", "Page", false, 900, CachePolicyRuleKind.Path, "/feeds")]
    [InlineData(200, "/feedsx", null, false, 600, CachePolicyRuleKind.Default, null)]
    [InlineData(200, "/tags/news", null, false, 120, CachePolicyRuleKind.Path, "^/tags/[^/]+$")]
    [InlineData(200, "/tags/news/2026", null, false, 240, CachePolicyRuleKind.Path, "/tags/")]
    [InlineData(200, "/about", "Page", false, 600, CachePolicyRuleKind.Default, null)]
    [InlineData(200, "", null, false, 600, CachePolicyRuleKind.Default, null)]
    [InlineData(404, "/blog/gone", "Article", false, 60, CachePolicyRuleKind.NotFound, null)]
    [InlineData(404, "/", null, true, 60, CachePolicyRuleKind.NotFound, null)]
    [InlineData(301, "/feeds/old", null, false, 3600, CachePolicyRuleKind.Redirect, null)]
    public void Rule_resolution_status_then_home_page_then_content_type_then_path_then_default(
        int status, string path, string contentType, bool isHomePage, int seconds, CachePolicyRuleKind rule, string ruleName)
    {
        var lifetime = new CachePolicy(_settings).Resolve(new(status, path, contentType, isHomePage));

        Assert.Equal(new CacheLifetime(seconds, rule, ruleName), lifetime);
    }

    [Fact]
    public void Home_page_without_its_own_lifetime_gets_the_rule_of_the_item_it_shows()
    {
        var settings = new CachePolicySettings { ContentTypes = [new() { ContentType = "Page", Seconds = 86400 }] };

        var lifetime = new CachePolicy(settings).Resolve(new(200, "/", "Page", IsHomePage: true));

        Assert.Equal(new CacheLifetime(86400, CachePolicyRuleKind.ContentType, "Page"), lifetime);
    }

    [Fact]
    public void A_path_pattern_that_no_longer_compiles_matches_nothing()
    {
        var settings = new CachePolicySettings { DefaultSeconds = 600, Paths = [new() { Match = "^/tags/(", Seconds = 5 }] };

        Assert.Equal(CachePolicyRuleKind.Default, new CachePolicy(settings).Resolve(new(200, "/tags/(", null, false)).Rule);
    }

    [Theory]
    [InlineData(86400, 60, 30, 86400, "public, max-age=60, s-maxage=86400, stale-while-revalidate=30, stale-if-error=86400")]
    [InlineData(30, 60, 30, 86400, "public, max-age=30, s-maxage=30, stale-while-revalidate=30, stale-if-error=86400")]
    [InlineData(600, 0, 30, 86400, "public, max-age=0, s-maxage=600, stale-while-revalidate=30, stale-if-error=86400")]
    [InlineData(600, 60, 0, 0, "public, max-age=60, s-maxage=600")]
    [InlineData(600, 60, 0, 300, "public, max-age=60, s-maxage=600, stale-if-error=300")]
    [InlineData(0, 60, 30, 86400, "private, no-cache")]
    public void Cache_control_gives_browsers_and_shared_caches_their_lifetimes(int shared, int browser, int staleWhileRevalidate, int staleIfError, string expected)
    {
        var settings = new CachePolicySettings { BrowserSeconds = browser, StaleWhileRevalidateSeconds = staleWhileRevalidate, StaleIfErrorSeconds = staleIfError };

        Assert.Equal(expected, CachePolicyHeaders.CacheControl(settings, shared));
    }

    [Theory]
    [InlineData(false, false, 86400, null, null)]
    [InlineData(true, false, 86400, "max-age=86400, stale-while-revalidate=30, stale-if-error=86400", null)]
    [InlineData(false, true, 86400, null, "max-age=86400, stale-while-revalidate=30, stale-if-error=86400")]
    [InlineData(true, true, 0, "no-store", "no-store")]
    public void Surrogate_control_and_cdn_cache_control_are_sent_when_asked(bool surrogate, bool cdn, int shared, string surrogateValue, string cdnValue)
    {
        var settings = new CachePolicySettings { SurrogateControl = surrogate, CdnCacheControl = cdn };
        var headers = new HeaderDictionary();

        CachePolicyHeaders.Apply(headers, settings, shared);

        Assert.Equal(surrogateValue, headers.TryGetValue("Surrogate-Control", out var s) ? s.ToString() : null);
        Assert.Equal(cdnValue, headers.TryGetValue("CDN-Cache-Control", out var c) ? c.ToString() : null);
    }
}
