using CachePurge.Core;
using CachePurge.Module.Models;
using CachePurge.Module.Services;

namespace CachePurge.Module.Tests.Unit;

/// <summary>The tag headers a page carries for the caches configured, one per header name.</summary>
public sealed class ResponseTagFormatsTests
{
    [Theory]
    [InlineData(CacheKind.Varnish, "xkey", " ", 7_500)]
    [InlineData(CacheKind.Fastly, "Surrogate-Key", " ", 7_500)]
    [InlineData(CacheKind.Cloudflare, "Cache-Tag", ",", 7_500)]
    [InlineData(CacheKind.Bunny, "CDN-Tag", ",", 1_024)]
    [InlineData(CacheKind.Akamai, "Edge-Cache-Tag", ",", 7_500)]
    public void Each_kind_of_cache_adds_the_header_it_reads_within_its_limit_and_the_settings_one(CacheKind kind, string header, string separator, int limit)
    {
        var formats = ResponseTagFormats.For(Settings("xkey", kind));

        var format = Assert.Single(formats, f => f.Header == header);
        Assert.Equal((separator, limit), (format.Separator, format.HeaderLimit));
        Assert.Contains(formats, f => f.Header == "xkey");
    }

    [Fact]
    public void Mixed_caches_give_one_header_each_and_the_configured_one_for_a_generic_cache()
    {
        var formats = ResponseTagFormats.For(Settings("X-Tags", CacheKind.Varnish, CacheKind.Cloudflare, CacheKind.Fastly, CacheKind.Bunny, CacheKind.Generic, CacheKind.Squid));

        Assert.Equal(["CDN-Tag", "Cache-Tag", "Surrogate-Key", "X-Tags", "xkey"], formats.Select(f => f.Header).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_kinds_format_takes_the_place_of_a_configured_header_of_the_same_name()
    {
        var settings = Settings("cache-tag", CacheKind.Cloudflare);
        settings.ResponseTagSeparator = " ";

        var format = Assert.Single(ResponseTagFormats.For(settings));

        Assert.Equal(("Cache-Tag", ","), (format.Header, format.Separator));
    }

    [Fact]
    public void No_header_is_longer_than_the_settings_limit()
    {
        var settings = Settings("xkey", CacheKind.Cloudflare, CacheKind.Bunny);
        settings.ResponseTagHeaderLimit = 512;

        Assert.All(ResponseTagFormats.For(settings), format => Assert.Equal(512, format.HeaderLimit));
    }

    [Fact]
    public void An_empty_configured_header_turns_every_tag_header_off()
    {
        Assert.Empty(ResponseTagFormats.For(Settings("", CacheKind.Varnish, CacheKind.Bunny)));
    }

    [Fact]
    public void A_tag_longer_than_a_caches_tag_limit_leaves_that_header_with_the_site_tag_alone()
    {
        var (value, overflowed) = ContentTagHeader.Build("Default", ["short", new string('x', 200)], ",", 16_384, tagLimit: 128);

        Assert.Equal("site-Default", value);
        Assert.True(overflowed);
    }

    [Fact]
    public void Akamai_reads_at_most_128_tags_so_a_page_showing_more_carries_the_site_tag_alone_in_its_header()
    {
        var akamai = ResponseTagFormats.ForKind(CacheKind.Akamai);

        var fits = ContentTagHeader.Build("Default", [.. Enumerable.Range(0, 127).Select(i => $"item{i}")], akamai.Separator, akamai.HeaderLimit, akamai.TagLimit, akamai.MaxTags);
        var tooMany = ContentTagHeader.Build("Default", [.. Enumerable.Range(0, 128).Select(i => $"item{i}")], akamai.Separator, akamai.HeaderLimit, akamai.TagLimit, akamai.MaxTags);

        Assert.False(fits.Overflowed);
        Assert.Equal(128, fits.Value.Split(',').Length);
        Assert.True(tooMany.Overflowed);
        Assert.Equal("site-Default", tooMany.Value);
    }

    private static CachePurgeSettings Settings(string header, params CacheKind[] kinds) => new()
    {
        ResponseTagHeader = header,
        Caches = [.. kinds.Select(k => new CachePurgeCacheSettings { Name = k.ToString(), Kind = k })],
    };
}
