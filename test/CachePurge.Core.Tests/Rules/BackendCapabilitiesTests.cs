using CachePurge.Core.Dispatching;
using CachePurge.Core.Protocols;

namespace CachePurge.Core.Tests.Rules;

/// <summary>What each backend declares, and what the queue makes of it.</summary>
public sealed class BackendCapabilitiesTests
{
    [Theory]
    [InlineData(CacheKind.Varnish, "", true, true, false)]
    [InlineData(CacheKind.Squid, "", false, false, false)]
    [InlineData(CacheKind.Nginx, "", false, false, false)]
    [InlineData(CacheKind.Generic, "", false, false, false)]
    [InlineData(CacheKind.Generic, "Surrogate-Key", true, false, false)]
    [InlineData(CacheKind.Cloudflare, "", true, true, true)]
    [InlineData(CacheKind.Fastly, "", true, true, true)]
    public void Each_backend_declares_what_it_purges_and_how_it_names_a_page(CacheKind kind, string tagHeader, bool tags, bool everything, bool absoluteUrls)
    {
        var capabilities = CacheProtocol.For(new CacheEndpoint { Name = "c", BaseUrl = "http://c", Kind = kind, TagHeader = tagHeader }).Capabilities;

        Assert.True(capabilities.Supports(PurgeTargetKind.Path));
        Assert.Equal(tags, capabilities.Supports(PurgeTargetKind.Tag));
        Assert.Equal(everything, capabilities.Supports(PurgeTargetKind.Everything));
        Assert.Equal(absoluteUrls, capabilities.Addressing == PageAddressing.AbsoluteUrl);
    }

    [Theory]
    [InlineData(CacheKind.Varnish, 100, 1, 1, 1, 1)]
    [InlineData(CacheKind.Varnish, 100, 3, 2, 1, 1)]
    [InlineData(CacheKind.Cloudflare, 100, 1, 1, 100, 100)]
    [InlineData(CacheKind.Cloudflare, 100, 2, 2, 25, 100)]
    [InlineData(CacheKind.Cloudflare, 10, 3, 1, 3, 9)]
    [InlineData(CacheKind.Fastly, 256, 2, 2, 1, 2)]
    public void Paths_per_call_follow_the_declared_urls_per_call_hosts_and_schemes(CacheKind kind, int itemsPerCall, int hosts, int schemes, int pathsPerCall, int maxUrls)
    {
        var capabilities = CacheProtocol.For(new CacheEndpoint { Name = "c", BaseUrl = "http://c", Kind = kind, ItemsPerCall = itemsPerCall }).Capabilities;
        var sizes = new CallSizes(capabilities, hosts, schemes, tagHeaderLimit: 7_500);

        Assert.Equal(pathsPerCall, sizes.PathsPerCall);
        Assert.Equal(maxUrls, sizes.MaxUrlsPerCall);
        Assert.Equal(pathsPerCall > 1, capabilities.BatchesPaths);
    }

    [Fact]
    public void Tags_in_a_header_are_split_by_its_length_and_tags_in_a_body_by_the_items_a_call_takes()
    {
        var varnish = new CallSizes(CacheProtocol.For(new CacheEndpoint { Name = "v", BaseUrl = "http://v", Kind = CacheKind.Varnish }).Capabilities, 1, 1, tagHeaderLimit: 256);
        var cloudflare = new CallSizes(CacheProtocol.For(new CacheEndpoint { Name = "c", BaseUrl = "http://c", Kind = CacheKind.Cloudflare }).Capabilities, 1, 1, tagHeaderLimit: 256);
        List<string> tags = [.. Enumerable.Range(0, 250).Select(i => $"tag-{i:000}")];

        // 7 bytes a tag and a space: 32 tags fill 255 bytes of a 256-byte header.
        Assert.All(varnish.Split(PurgeTargetKind.Tag, tags), call => Assert.True(string.Join(' ', call).Length <= 256));
        Assert.Equal(8, varnish.Split(PurgeTargetKind.Tag, tags).Count());
        Assert.Equal([100, 100, 50], cloudflare.Split(PurgeTargetKind.Tag, tags).Select(c => c.Count));
    }

    [Fact]
    public void A_cloudflare_account_declares_its_plans_limits_shared_by_its_sites()
    {
        var free = CacheProtocol.For(new CacheEndpoint { Kind = CacheKind.Cloudflare, ApiToken = "secret-token", CloudflarePlan = CloudflarePlan.Free }).Capabilities;
        var sameAccount = CacheProtocol.For(new CacheEndpoint { Kind = CacheKind.Cloudflare, ApiToken = "secret-token", CloudflarePlan = CloudflarePlan.Free }).Capabilities;

        Assert.Equal(free.RateScope, sameAccount.RateScope);
        Assert.Contains(free.RateLimits, l => l.PerUrl && l.Burst == 800 && l.Applies(PurgeTargetKind.Path) && !l.Applies(PurgeTargetKind.Tag));
        Assert.Contains(free.RateLimits, l => !l.PerUrl && l.Burst == 25 && l.Period == TimeSpan.FromSeconds(12) && l.Applies(PurgeTargetKind.Tag) && l.Applies(PurgeTargetKind.Everything));
        Assert.DoesNotContain("secret-token", free.RateScope!, StringComparison.Ordinal);
    }
}
