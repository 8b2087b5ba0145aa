using CachePurge.Core;
using CachePurge.Core.Tests.Infrastructure;

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

    [Theory]
    [InlineData(CacheKind.Varnish, false, null)]
    [InlineData(CacheKind.Squid, false, "Endpoints[0].SoftPurge: only a Varnish or Fastly cache can purge softly; a Squid cache removes pages.")]
    [InlineData(CacheKind.Nginx, false, "Endpoints[0].SoftPurge: only a Varnish or Fastly cache can purge softly; a Nginx cache removes pages.")]
    [InlineData(CacheKind.Generic, false, "Endpoints[0].SoftPurge: only a Varnish or Fastly cache can purge softly; a Generic cache removes pages.")]
    [InlineData(CacheKind.Varnish, true, "Endpoints[0].SoftPurge: cannot be on with ConfirmEviction: a soft-purged page is served stale once more, so its eviction is never confirmed.")]
    public void Soft_purge_is_for_varnish_without_confirmed_eviction(CacheKind kind, bool confirmEviction, string? message)
    {
        var options = Valid();
        options.Endpoints[0].Kind = kind;
        options.Endpoints[0].SoftPurge = true;
        options.Endpoints[0].ConfirmEviction = confirmEviction;

        var errors = CachePurgeOptionsValidator.Validate(options).Select(e => e.ToString());

        Assert.Equal(message is null ? [] : [message], errors);
    }

    [Fact]
    public void Caches_without_site_hosts_are_refused()
    {
        var options = Valid();
        options.SiteHosts.Clear();

        Assert.Equal("SiteHosts", Assert.Single(CachePurgeOptionsValidator.Validate(options)).Field);
    }

    [Theory]
    [InlineData("abc\r\nX-Evil: 1", "a line break at position 4")]
    [InlineData("a\rb", "a line break at position 2")]
    [InlineData("a\nb", "a line break at position 2")]
    [InlineData("nul\0", "a NUL character at position 4")]
    [InlineData("bell\u0007", "a control character at position 5")]
    [InlineData("del\u007f", "a control character at position 4")]
    [InlineData("b\u00e9", "a non-ASCII character (such as an accented letter) at position 2")]
    [InlineData("caf\u00e9 au lait", "a non-ASCII character (such as an accented letter) at position 4")]
    [InlineData("\u2013dash", "a non-ASCII character (such as an accented letter) at position 1")]
    [InlineData("smile \ud83d\ude00", "a non-ASCII character (such as an accented letter) at position 7")]
    public void A_header_value_a_purge_cannot_carry_is_refused_saying_what_and_where(string value, string problem)
    {
        var options = Valid();
        options.Endpoints[0].Headers["X-Token"] = value;

        var error = Assert.Single(CachePurgeOptionsValidator.Validate(options));

        Assert.Equal("Endpoints[0].Headers[X-Token]", error.Field);
        Assert.Equal($"the value of 'X-Token' has {problem}; a header value can hold only ASCII letters, digits, punctuation and spaces.", error.Message);
    }

    [Theory]
    [InlineData("X Token", "'X Token' is not a header name; use letters, digits and '-' (e.g. X-Purge-Token).")]
    [InlineData("X-T\u00f6ken", "'X-T\u00f6ken' is not a header name; use letters, digits and '-' (e.g. X-Purge-Token).")]
    [InlineData("X:Token", "'X:Token' is not a header name; use letters, digits and '-' (e.g. X-Purge-Token).")]
    [InlineData("X-Token\r\n", "'X-Token\r\n' is not a header name; use letters, digits and '-' (e.g. X-Purge-Token).")]
    [InlineData(" ", "a header needs a name.")]
    [InlineData("Host", "'Host' is written by every purge request itself and cannot be set here.")]
    [InlineData("content-length", "'content-length' is written by every purge request itself and cannot be set here.")]
    [InlineData("Transfer-Encoding", "'Transfer-Encoding' is written by every purge request itself and cannot be set here.")]
    [InlineData("Connection", "'Connection' is written by every purge request itself and cannot be set here.")]
    public void A_header_name_a_purge_cannot_carry_is_refused(string name, string message)
    {
        var options = Valid();
        options.Endpoints[0].Headers[name] = "1";

        var error = Assert.Single(CachePurgeOptionsValidator.Validate(options));

        Assert.Equal($"Endpoints[0].Headers[{name}]", error.Field);
        Assert.Equal(message, error.Message);
    }

    /// <summary>
    /// What the validator accepts, the purge client sends as it is; what the client refuses (line breaks, non-ASCII), the
    /// validator refuses first, naming the header. It is stricter where a cache would choke (NUL, DEL).
    /// </summary>
    [Theory]
    [InlineData("X-Token", "abc")]
    [InlineData("X-Token", "Bearer a.b-c_d~e/f+g=")]
    [InlineData("X-Token", "tab\there, \"quoted\" (x) {y} [z]")]
    [InlineData("X-Token", "")]
    [InlineData("X-Token", "b\u00e9")]
    [InlineData("X-Token", "a\rb")]
    [InlineData("X-Token", "a\nb")]
    [InlineData("X-Token", "a\r\nPURGE /everything HTTP/1.1")]
    [InlineData("X-Token", "nul\0")]
    [InlineData("X-Token", "del\u007f")]
    [InlineData("X_Token.v2!", "1")]
    [InlineData("X Token", "1")]
    [InlineData("X-T\u00f6ken", "1")]
    [InlineData("X(Token)", "1")]
    public async Task The_validator_accepts_only_headers_the_purge_client_sends_as_they_are(string name, string value)
    {
        var options = Valid();
        options.Endpoints[0].Headers[name] = value;
        await using var server = new RawHttpServer();
        using var client = DispatcherFactory.HttpClientFactory.CreateClient(CachePurgeHttp.ClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl);
        var added = request.Headers.TryAddWithoutValidation(name, value);

        var accepted = CachePurgeOptionsValidator.Validate(options).Count == 0;
        var sent = added && await SendsAsync(client, request);

        if (accepted)
        {
            Assert.True(sent, "accepted by the validator but refused by the client");
            Assert.Equal($"{name}: {value}".TrimEnd(), server.ReceivedRequests.Single().Headers.Single(h => h.StartsWith(name + ":", StringComparison.Ordinal)).TrimEnd());
        }
    }

    [Theory]
    [InlineData(CacheKind.Varnish, true)]
    [InlineData(CacheKind.Generic, true)]
    [InlineData(CacheKind.Squid, false)]
    [InlineData(CacheKind.Nginx, false)]
    public void A_bad_tag_header_is_refused_only_for_kinds_that_send_it(CacheKind kind, bool refused)
    {
        var options = Valid();
        options.Endpoints[0].Kind = kind;
        options.Endpoints[0].TagHeader = "xkey purge";

        var errors = CachePurgeOptionsValidator.Validate(options);

        Assert.Equal(refused, errors.Any(e => e.Field == "Endpoints[0].TagHeader"));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(20, true)]
    [InlineData(21, false)]
    [InlineData(300, false)]
    public void At_most_twenty_caches_are_accepted(int count, bool accepted)
    {
        var options = Valid();
        options.Endpoints = [.. Enumerable.Range(0, count).Select(i => new CacheEndpoint { Name = $"cache{i}", BaseUrl = "http://127.0.0.1:6081" })];

        var errors = CachePurgeOptionsValidator.Validate(options);

        if (accepted)
        {
            Assert.Empty(errors);
        }
        else
        {
            var error = Assert.Single(errors);
            Assert.Equal(("Endpoints", $"at most 20 caches can be configured; there are {count}."), (error.Field, error.Message));
        }
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(-1.0, false)]
    [InlineData(0.5, true)]
    [InlineData(1.0, true)]
    [InlineData(300.0, true)]
    [InlineData(301.0, false)]
    public void Timeout_is_more_than_0_and_at_most_5_minutes(double seconds, bool accepted)
    {
        var options = Valid();
        options.Endpoints[0].Timeout = TimeSpan.FromSeconds(seconds);

        var errors = CachePurgeOptionsValidator.Validate(options);

        Assert.Equal(accepted ? [] : ["Endpoints[0].Timeout: must be more than 0 and at most 300 seconds (5 minutes)."], errors.Select(e => e.ToString()));
    }

    /// <summary>Each message as a site owner reads it, after the field's name.</summary>
    [Theory]
    [InlineData(CacheKind.Varnish, "Name", " ", "Endpoints[0].Name: a name is required.")]
    [InlineData(CacheKind.Varnish, "Name", "var\0nish", "Endpoints[0].Name: must not contain control characters (such as NUL or a line break).")]
    [InlineData(CacheKind.Varnish, "BaseUrl", "", "Endpoints[0].BaseUrl: a URL is required (e.g. http://127.0.0.1:6081).")]
    [InlineData(CacheKind.Varnish, "BaseUrl", "ftp://cache", "Endpoints[0].BaseUrl: 'ftp://cache' is not an http:// or https:// URL.")]
    [InlineData(CacheKind.Varnish, "BaseUrl", "http://cache/\0", "Endpoints[0].BaseUrl: 'http://cache/\0' is not an http:// or https:// URL.")]
    [InlineData(CacheKind.Varnish, "BaseUrl", "http://u:p@cache", "Endpoints[0].BaseUrl: 'http://u:p@cache' must have no user name, query or fragment; put credentials in a header.")]
    [InlineData(CacheKind.Varnish, "Kind", "10", "Endpoints[0].Kind: '10' is not a cache kind; use Varnish, Squid, Nginx, Generic, Cloudflare, Fastly, Akamai, Bunny, CloudFront, AzureFrontDoor.")]
    [InlineData(CacheKind.Varnish, "MaxConcurrency", "0", "Endpoints[0].MaxConcurrency: must be between 1 and 256 requests.")]
    [InlineData(CacheKind.Varnish, "RequestsPerSecond", "-1", "Endpoints[0].RequestsPerSecond: must be 0 (no limit) or more.")]
    [InlineData(CacheKind.Varnish, "TagHeader", "xkey purge", "Endpoints[0].TagHeader: 'xkey purge' is not a header name; use letters, digits and '-' (e.g. X-Purge-Token).")]
    [InlineData(CacheKind.Nginx, "PurgePathPrefix", "purge", "Endpoints[0].PurgePathPrefix: 'purge' must start with '/' and hold no spaces, '?' or '#' (e.g. /purge).")]
    [InlineData(CacheKind.Nginx, "PurgePathPrefix", "/purge#x", "Endpoints[0].PurgePathPrefix: '/purge#x' must start with '/' and hold no spaces, '?' or '#' (e.g. /purge).")]
    [InlineData(CacheKind.Generic, "Method", "PUR GE", "Endpoints[0].Method: 'PUR GE' is not an HTTP method; use letters only (e.g. PURGE).")]
    [InlineData(CacheKind.Generic, "PathTemplate", "/purge", "Endpoints[0].PathTemplate: '/purge' must start with '/' or '{path}', contain '{path}', and hold no spaces or '#' (e.g. /purge{path}).")]
    [InlineData(CacheKind.Generic, "PathTemplate", "/purge {path}", "Endpoints[0].PathTemplate: '/purge {path}' must start with '/' or '{path}', contain '{path}', and hold no spaces or '#' (e.g. /purge{path}).")]
    [InlineData(CacheKind.Generic, "TagHeader", "Host", "Endpoints[0].TagHeader: 'Host' is written by every purge request itself and cannot be set here.")]
    public void Each_problem_with_a_cache_reads_as_one_message(CacheKind kind, string setting, string value, string message)
    {
        var options = Valid();
        var endpoint = options.Endpoints[0];
        endpoint.Kind = kind;
        var property = typeof(CacheEndpoint).GetProperty(setting)!;
        property.SetValue(endpoint, property.PropertyType.IsEnum ? Enum.Parse(property.PropertyType, value) : Convert.ChangeType(value, property.PropertyType, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal([message], CachePurgeOptionsValidator.Validate(options).Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("ZoneId", "", "Endpoints[0].ZoneId: the zone id is 32 hexadecimal characters (Cloudflare dashboard: the zone's Overview, API section).")]
    [InlineData("ZoneId", "example.com", "Endpoints[0].ZoneId: the zone id is 32 hexadecimal characters (Cloudflare dashboard: the zone's Overview, API section).")]
    [InlineData("ApiToken", " ", "Endpoints[0].ApiToken: an API token with the zone's Cache Purge permission is required.")]
    [InlineData("ApiToken", "abc\n", "Endpoints[0].ApiToken: an API token holds no spaces, line breaks or non-ASCII characters; paste it again.")]
    [InlineData("ItemsPerCall", "101", "Endpoints[0].ItemsPerCall: must be between 1 and 100 on the Free plan.")]
    [InlineData("ItemsPerCall", "0", "Endpoints[0].ItemsPerCall: must be between 1 and 100 on the Free plan.")]
    [InlineData("CloudflarePlan", "7", "Endpoints[0].CloudflarePlan: use Free, Pro, Business, Enterprise.")]
    [InlineData("ConfirmEviction", "True", "Endpoints[0].ConfirmEviction: a Cloudflare cache is reached through its API, not asked for pages, so eviction cannot be confirmed.")]
    [InlineData("SoftPurge", "True", "Endpoints[0].SoftPurge: only a Varnish or Fastly cache can purge softly; a Cloudflare cache removes pages.")]
    public void Each_problem_with_a_cloudflare_zone_reads_as_one_message(string setting, string value, string message)
    {
        var options = Valid();
        var endpoint = options.Endpoints[0];
        endpoint.Kind = CacheKind.Cloudflare;
        endpoint.BaseUrl = "https://api.cloudflare.com";
        endpoint.ZoneId = "023e105f4ecef8ad9ca31a8372d0c353";
        endpoint.ApiToken = "token";
        Assert.Empty(CachePurgeOptionsValidator.Validate(options));
        var property = typeof(CacheEndpoint).GetProperty(setting)!;
        property.SetValue(endpoint, property.PropertyType.IsEnum ? Enum.Parse(property.PropertyType, value) : Convert.ChangeType(value, property.PropertyType, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal([message], CachePurgeOptionsValidator.Validate(options).Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("ServiceId", "", "Endpoints[0].ServiceId: the service id is letters and digits (Fastly: the service's page, under its name).")]
    [InlineData("ServiceId", "SU1Z/x", "Endpoints[0].ServiceId: the service id is letters and digits (Fastly: the service's page, under its name).")]
    [InlineData("ApiToken", "", "Endpoints[0].ApiToken: an API token with the purge_select scope is required.")]
    [InlineData("ItemsPerCall", "257", "Endpoints[0].ItemsPerCall: must be between 1 and 256 surrogate keys.")]
    [InlineData("ConfirmEviction", "True", "Endpoints[0].ConfirmEviction: a Fastly cache is reached through its API, not asked for pages, so eviction cannot be confirmed.")]
    public void Each_problem_with_a_fastly_service_reads_as_one_message(string setting, string value, string message)
    {
        var options = Valid();
        options.Endpoints[0] = new CacheEndpoint { Name = "fastly", Kind = CacheKind.Fastly, BaseUrl = "https://api.fastly.com", ServiceId = "SU1Z0isxPaozGVKXdv0eY", ApiToken = "key", SoftPurge = true };
        Assert.Empty(CachePurgeOptionsValidator.Validate(options));
        var property = typeof(CacheEndpoint).GetProperty(setting)!;
        property.SetValue(options.Endpoints[0], Convert.ChangeType(value, property.PropertyType, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal([message], CachePurgeOptionsValidator.Validate(options).Select(e => e.ToString()));
    }

    [Theory]
    [InlineData(500, CloudflarePlan.Enterprise, true)]
    [InlineData(501, CloudflarePlan.Enterprise, false)]
    [InlineData(500, CloudflarePlan.Business, false)]
    public void Cloudflare_takes_500_urls_a_call_on_enterprise_and_100_on_other_plans(int itemsPerCall, CloudflarePlan plan, bool accepted)
    {
        var options = Valid();
        options.Endpoints[0] = new CacheEndpoint { Name = "cf", Kind = CacheKind.Cloudflare, BaseUrl = "https://api.cloudflare.com", ZoneId = "023e105f4ecef8ad9ca31a8372d0c353", ApiToken = "token", CloudflarePlan = plan, ItemsPerCall = itemsPerCall };

        Assert.Equal(accepted, CachePurgeOptionsValidator.Validate(options).Count == 0);
    }

    [Theory]
    [InlineData("https,http", true)]
    [InlineData("", false)]
    [InlineData("ftp", false)]
    [InlineData("https,https", false)]
    public void Cloudflare_schemes_are_https_http_or_both(string schemes, bool accepted)
    {
        var options = Valid();
        options.Endpoints[0] = new CacheEndpoint { Name = "cf", Kind = CacheKind.Cloudflare, BaseUrl = "https://api.cloudflare.com", ZoneId = "023e105f4ecef8ad9ca31a8372d0c353", ApiToken = "token", Schemes = [.. schemes.Split(',', StringSplitOptions.RemoveEmptyEntries)] };

        Assert.Equal(accepted ? [] : ["Endpoints[0].Schemes: list https, http or both, once each: a page is purged as a URL of each."], CachePurgeOptionsValidator.Validate(options).Select(e => e.ToString()));
    }

    [Theory]
    [InlineData(CacheKind.Varnish)]
    [InlineData(CacheKind.Squid)]
    [InlineData(CacheKind.Nginx)]
    [InlineData(CacheKind.Generic)]
    public void The_defaults_of_every_kind_are_valid(CacheKind kind)
    {
        var options = Valid();
        options.Endpoints[0].Kind = kind;

        Assert.Empty(CachePurgeOptionsValidator.Validate(options));
    }

    [Fact]
    public void The_dispatcher_refuses_invalid_settings_with_the_field_in_the_message()
    {
        var options = Valid();
        options.Endpoints[0].BaseUrl = "gopher://x";

        var error = Assert.Throws<ArgumentException>(() => new PurgeDispatcher("site", options, new NoHttpClientFactory()));

        Assert.Contains("Endpoints[0].BaseUrl", error.Message);
    }

    private static async Task<bool> SendsAsync(HttpClient client, HttpRequestMessage request)
    {
        try
        {
            using var response = await client.SendAsync(request);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private sealed class NoHttpClientFactory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("No request is expected.");
    }
}
