using CachePurge.Core;

namespace CachePurge.Core.Tests.Rules;

public sealed class PurgeEverythingRuleTests
{
    [Theory]
    [InlineData(CacheKind.Varnish, "", true, PurgeEverythingMethod.SiteTag)]
    [InlineData(CacheKind.Varnish, "xkey-purge", true, PurgeEverythingMethod.SiteTag)]
    [InlineData(CacheKind.Varnish, "xkey-purge", false, PurgeEverythingMethod.Everything)]
    [InlineData(CacheKind.Generic, "Surrogate-Key", true, PurgeEverythingMethod.SiteTag)]
    [InlineData(CacheKind.Generic, "Surrogate-Key", false, PurgeEverythingMethod.NotPossible)]
    [InlineData(CacheKind.Generic, "", true, PurgeEverythingMethod.NotPossible)]
    [InlineData(CacheKind.Squid, "", true, PurgeEverythingMethod.NotPossible)]
    [InlineData(CacheKind.Squid, "xkey-purge", true, PurgeEverythingMethod.NotPossible)]
    [InlineData(CacheKind.Squid, "", false, PurgeEverythingMethod.NotPossible)]
    [InlineData(CacheKind.Nginx, "", true, PurgeEverythingMethod.NotPossible)]
    [InlineData(CacheKind.Nginx, "xkey-purge", true, PurgeEverythingMethod.NotPossible)]
    [InlineData(CacheKind.Nginx, "", false, PurgeEverythingMethod.NotPossible)]
    public void Everything_is_purged_by_site_tag_else_in_one_request_else_not_at_all(CacheKind kind, string tagHeader, bool pagesCarrySiteTag, PurgeEverythingMethod expected)
    {
        var endpoint = new CacheEndpoint { Name = "c", BaseUrl = "http://c", Kind = kind, TagHeader = tagHeader };

        Assert.Equal(expected, endpoint.HowToPurgeEverything(pagesCarrySiteTag));
    }
}
