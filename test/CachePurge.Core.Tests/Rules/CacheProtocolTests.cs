using System.Net;
using CachePurge.Core;
using CachePurge.Core.Protocols;

namespace CachePurge.Core.Tests.Rules;

public sealed class CacheProtocolTests
{
    private static readonly SiteHost Host = new("www.example.com", null);

    [Theory]
    [InlineData(CacheKind.Varnish, 200, PurgeOutcome.Purged)]
    [InlineData(CacheKind.Varnish, 204, PurgeOutcome.Purged)]
    [InlineData(CacheKind.Squid, 200, PurgeOutcome.Purged)]
    [InlineData(CacheKind.Squid, 404, PurgeOutcome.NotCached)]
    [InlineData(CacheKind.Nginx, 404, PurgeOutcome.NotCached)]
    [InlineData(CacheKind.Nginx, 412, PurgeOutcome.NotCached)]
    [InlineData(CacheKind.Squid, 412, PurgeOutcome.Failed)]
    [InlineData(CacheKind.Varnish, 401, PurgeOutcome.Refused)]
    [InlineData(CacheKind.Varnish, 403, PurgeOutcome.Refused)]
    [InlineData(CacheKind.Squid, 405, PurgeOutcome.Refused)]
    [InlineData(CacheKind.Varnish, 429, PurgeOutcome.Failed)]
    [InlineData(CacheKind.Varnish, 500, PurgeOutcome.Failed)]
    [InlineData(CacheKind.Nginx, 502, PurgeOutcome.Failed)]
    [InlineData(CacheKind.Generic, 503, PurgeOutcome.Failed)]
    [InlineData(CacheKind.Generic, 400, PurgeOutcome.Failed)]
    public void Answers_are_classified_by_status_and_kind(CacheKind kind, int status, PurgeOutcome expected)
    {
        var protocol = (HostHeaderProtocol)CacheProtocol.For(new CacheEndpoint { Name = "c", BaseUrl = "http://c", Kind = kind });

        Assert.Equal(expected, protocol.Classify((HttpStatusCode)status));
    }

    [Theory]
    [InlineData(CacheKind.Varnish, "PURGE", "http://cache:6081/a/b?x=1")]
    [InlineData(CacheKind.Squid, "PURGE", "http://cache:6081/a/b?x=1")]
    [InlineData(CacheKind.Nginx, "GET", "http://cache:6081/purge/a/b?x=1")]
    [InlineData(CacheKind.Generic, "PURGE", "http://cache:6081/a/b?x=1")]
    public void Path_purges_take_the_shape_of_the_cache_kind(CacheKind kind, string method, string url)
    {
        var protocol = (HostHeaderProtocol)CacheProtocol.For(new CacheEndpoint { Name = "c", BaseUrl = "http://cache:6081/", Kind = kind, Headers = { ["X-Token"] = "s3cret" } });

        using var request = protocol.CreatePathRequest("/a/b?x=1", Host);

        Assert.Equal(method, request.Method.Method);
        Assert.Equal(url, request.RequestUri!.ToString());
        Assert.Equal("www.example.com", request.Headers.Host);
        Assert.Equal("s3cret", request.Headers.GetValues("X-Token").Single());
    }

    [Fact]
    public void Generic_purges_use_the_configured_method_and_template()
    {
        var protocol = (HostHeaderProtocol)CacheProtocol.For(new CacheEndpoint { Name = "cdn", BaseUrl = "https://api.cdn.example", Kind = CacheKind.Generic, Method = "DELETE", PathTemplate = "/zones/site/cache{path}", TagHeader = "Surrogate-Key" });

        using var path = protocol.CreatePathRequest("/a", Host);
        using var tags = protocol.CreateTagRequest("t1 t2", Host);

        Assert.Equal("DELETE https://api.cdn.example/zones/site/cache/a", $"{path.Method} {path.RequestUri}");
        Assert.Equal("t1 t2", tags.Headers.GetValues("Surrogate-Key").Single());
        Assert.True(protocol.SupportsTags);
        Assert.False(protocol.SupportsEverything);
    }

    [Fact]
    public void Varnish_purges_tags_with_xkey_and_everything_with_a_ban_of_the_host()
    {
        var protocol = (HostHeaderProtocol)CacheProtocol.For(new CacheEndpoint { Name = "v", BaseUrl = "http://v", Kind = CacheKind.Varnish });

        using var tags = protocol.CreateTagRequest("ci-1 ci-2", Host);
        using var everything = protocol.CreateEverythingRequest(new SiteHost("localhost", 8080));

        Assert.Equal("ci-1 ci-2", tags.Headers.GetValues("xkey-purge").Single());
        Assert.Equal("BAN", everything.Method.Method);
        Assert.Equal("localhost:8080", everything.Headers.Host);
    }

    [Theory]
    [InlineData("", "xkey-softpurge")]
    [InlineData("xkey-purge", "xkey-softpurge")]
    [InlineData("X-Tags", "X-Tags")]
    public void Varnish_soft_purges_send_tags_in_xkey_softpurge_and_mark_every_purge_but_the_ban_soft(string tagHeader, string sent)
    {
        var protocol = (HostHeaderProtocol)CacheProtocol.For(new CacheEndpoint { Name = "v", BaseUrl = "http://v", Kind = CacheKind.Varnish, TagHeader = tagHeader, SoftPurge = true });

        using var path = protocol.CreatePathRequest("/a", Host);
        using var tags = protocol.CreateTagRequest("ci-1 ci-2", Host);
        using var everything = protocol.CreateEverythingRequest(Host);

        Assert.Equal("PURGE http://v/a", $"{path.Method} {path.RequestUri}");
        Assert.Equal("1", path.Headers.GetValues("Soft-Purge").Single());
        Assert.Equal("ci-1 ci-2", tags.Headers.GetValues(sent).Single());
        Assert.Equal("1", tags.Headers.GetValues("Soft-Purge").Single());
        Assert.False(tags.Headers.Contains("xkey-purge"));
        Assert.Equal("BAN", everything.Method.Method);
        Assert.False(everything.Headers.Contains("Soft-Purge"));
    }

    [Fact]
    public void Varnish_purges_are_hard_unless_soft_purge_is_on()
    {
        var protocol = (HostHeaderProtocol)CacheProtocol.For(new CacheEndpoint { Name = "v", BaseUrl = "http://v", Kind = CacheKind.Varnish, TagHeader = "xkey-purge" });

        using var path = protocol.CreatePathRequest("/a", Host);
        using var tags = protocol.CreateTagRequest("ci-1", Host);

        Assert.False(path.Headers.Contains("Soft-Purge"));
        Assert.False(tags.Headers.Contains("Soft-Purge"));
        Assert.Equal("ci-1", tags.Headers.GetValues("xkey-purge").Single());
    }

    [Theory]
    [InlineData(CacheKind.Squid)]
    [InlineData(CacheKind.Nginx)]
    public void Squid_and_nginx_purge_neither_tags_nor_everything(CacheKind kind)
    {
        var protocol = (HostHeaderProtocol)CacheProtocol.For(new CacheEndpoint { Name = "c", BaseUrl = "http://c", Kind = kind });

        Assert.False(protocol.SupportsEverything);
        Assert.False(protocol.SupportsTags);
        Assert.Throws<NotSupportedException>(() => protocol.CreateEverythingRequest(Host));
    }
}
