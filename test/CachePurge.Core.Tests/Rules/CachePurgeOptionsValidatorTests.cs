using CachePurge.Core;

namespace CachePurge.Core.Tests.Rules;

public sealed class CachePurgeOptionsValidatorTests
{
    private static CachePurgeOptions Valid() => new()
    {
        SiteHosts = ["www.example.com"],
        Endpoints = [new CacheEndpoint { Name = "varnish", BaseUrl = "http://127.0.0.1:6081", Kind = CacheKind.Varnish }],
    };

    [Fact]
    public void Valid_settings_have_no_errors()
    {
        Assert.Empty(CachePurgeOptionsValidator.Validate(Valid()));
    }

    [Theory]
    [InlineData("ftp://cache:21", "Endpoints[0].BaseUrl")]
    [InlineData("not a url", "Endpoints[0].BaseUrl")]
    [InlineData("/relative", "Endpoints[0].BaseUrl")]
    [InlineData("http://user:secret@cache:6081", "Endpoints[0].BaseUrl")]
    [InlineData("http://cache:6081/?x=1", "Endpoints[0].BaseUrl")]
    public void A_bad_cache_url_is_refused_naming_the_field(string url, string field)
    {
        var options = Valid();
        options.Endpoints[0].BaseUrl = url;

        var error = Assert.Single(CachePurgeOptionsValidator.Validate(options));

        Assert.Equal(field, error.Field);
        Assert.StartsWith(field + ": ", error.ToString());
    }

    [Fact]
    public void Every_problem_is_reported_with_its_field()
    {
        var options = Valid();
        options.Endpoints.Add(new CacheEndpoint { Name = "VARNISH", BaseUrl = "http://x", MaxConcurrency = 0, Timeout = TimeSpan.Zero, Kind = CacheKind.Generic, PathTemplate = "/nopath" });
        options.SiteHosts.Add("bad host/x");

        var fields = CachePurgeOptionsValidator.Validate(options).Select(e => e.Field).ToList();

        Assert.Equal(
            ["Endpoints[1].Timeout", "Endpoints[1].MaxConcurrency", "Endpoints[1].PathTemplate", "Endpoints[1].Name", "SiteHosts[1]"],
            fields);
    }

    [Fact]
    public void Caches_without_site_hosts_are_refused()
    {
        var options = Valid();
        options.SiteHosts.Clear();

        Assert.Equal("SiteHosts", Assert.Single(CachePurgeOptionsValidator.Validate(options)).Field);
    }

    [Fact]
    public void Header_values_with_line_breaks_are_refused()
    {
        var options = Valid();
        options.Endpoints[0].Headers["X-Token"] = "abc\r\nX-Evil: 1";

        Assert.Equal("Endpoints[0].Headers[X-Token]", Assert.Single(CachePurgeOptionsValidator.Validate(options)).Field);
    }

    [Fact]
    public void The_dispatcher_refuses_invalid_settings_with_the_field_in_the_message()
    {
        var options = Valid();
        options.Endpoints[0].BaseUrl = "gopher://x";

        var error = Assert.Throws<ArgumentException>(() => new PurgeDispatcher("site", options, new NoHttpClientFactory()));

        Assert.Contains("Endpoints[0].BaseUrl", error.Message);
    }

    private sealed class NoHttpClientFactory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("No request is expected.");
    }
}
