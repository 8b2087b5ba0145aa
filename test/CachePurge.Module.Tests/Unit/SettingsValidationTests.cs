using CachePurge.Core;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.Tests.Infrastructure;
using OrchardCore.Entities;

namespace CachePurge.Module.Tests.Unit;

public sealed class SettingsValidationTests
{
    [Theory]
    [InlineData("Endpoints", "Caches")]
    [InlineData("Endpoints[0].BaseUrl", "Caches[0].BaseUrl")]
    [InlineData("Endpoints[1].Timeout", "Caches[1].TimeoutSeconds")]
    [InlineData("Endpoints[0].Headers[X-Site]", "Caches[0].Headers[0]")]
    [InlineData("Endpoints[0].Headers[X-Token]", "Caches[0].Headers[1]")]
    [InlineData("Endpoints[0].Headers[x-token]", "Caches[0].Headers[1]")]
    [InlineData("Endpoints[0].Headers[X-Unknown]", "Caches[0].Headers")]
    [InlineData("Endpoints[0].Headers", "Caches[0].Headers")]
    [InlineData("Endpoints[5].Headers[X-Token]", "Caches[5].Headers")]
    [InlineData("SiteHosts[3]", "SiteHosts")]
    [InlineData("SiteHosts", "SiteHosts")]
    [InlineData("EscalationThreshold", "EscalationThreshold")]
    public void Engine_fields_are_named_as_the_settings_name_them(string engineField, string settingsField)
    {
        var settings = Varnish("http://127.0.0.1:6081");
        settings.Caches[0].Headers = [new() { Name = "X-Site", Value = "a" }, new() { Name = " X-Token ", Value = "b", Secret = true }];

        Assert.Equal(settingsField, CachePurgeSettingsService.ToSettingsField(engineField, settings));
    }

    /// <summary>The rule is the engine's (<c>HttpFields</c>); here, that each input path names the header it is about.</summary>
    [Theory]
    [InlineData("X-A", "b\u00e9", false, "the value of 'X-A' has a non-ASCII character (such as an accented letter) at position 2; a header value can hold only ASCII letters, digits, punctuation and spaces.")]
    [InlineData("X-A", "b\u00e9", true, "the value of 'X-A' has a non-ASCII character (such as an accented letter) at position 2; a header value can hold only ASCII letters, digits, punctuation and spaces.")]
    [InlineData("X-A", "a\rb", false, "the value of 'X-A' has a line break at position 2; a header value can hold only ASCII letters, digits, punctuation and spaces.")]
    [InlineData("X-A", "a\rb", true, "the value of 'X-A' has a line break at position 2; a header value can hold only ASCII letters, digits, punctuation and spaces.")]
    [InlineData("X-A", "nul\0", false, "the value of 'X-A' has a NUL character at position 4; a header value can hold only ASCII letters, digits, punctuation and spaces.")]
    [InlineData("X A", "1", false, "'X A' is not a header name; use letters, digits and '-' (e.g. X-Purge-Token).")]
    [InlineData("Host", "www.example.org", false, "'Host' is written by every purge request itself and cannot be set here.")]
    [InlineData("", "1", false, "a header needs a name.")]
    [InlineData(" ", "1", true, "a header needs a name.")]
    public void A_header_a_purge_cannot_carry_is_refused_naming_the_header(string name, string value, bool secret, string message)
    {
        var settings = Varnish("http://127.0.0.1:6081");
        settings.Caches[0].Headers = [new() { Name = "X-Site", Value = "ok" }, new() { Name = name, Value = value, Secret = secret }];

        var error = Assert.Single(TestServices.CreateSettingsService().Validate(settings, new FakeSiteService().Site));

        Assert.Equal(("Caches[0].Headers[1]", message), (error.Field, error.Message));
    }

    /// <summary>Each message as a site owner reads it after the field's name, for a setting of the site or of its first cache.</summary>
    [Theory]
    [InlineData("TimeoutSeconds", "0", "Caches[0].TimeoutSeconds: must be more than 0 and at most 300 seconds (5 minutes).")]
    [InlineData("TimeoutSeconds", "301", "Caches[0].TimeoutSeconds: must be more than 0 and at most 300 seconds (5 minutes).")]
    [InlineData("MaxConcurrency", "0", "Caches[0].MaxConcurrency: must be between 1 and 256 requests.")]
    [InlineData("RequestsPerSecond", "-1", "Caches[0].RequestsPerSecond: must be 0 (no limit) or more.")]
    [InlineData("Name", "", "Caches[0].Name: a name is required.")]
    [InlineData("Name", "var\0nish", "Caches[0].Name: must not contain control characters (such as NUL or a line break).")]
    [InlineData("BaseUrl", "", "Caches[0].BaseUrl: a URL is required (e.g. http://127.0.0.1:6081).")]
    [InlineData("TagHeader", "xkey purge", "Caches[0].TagHeader: 'xkey purge' is not a header name; use letters, digits and '-' (e.g. X-Purge-Token).")]
    [InlineData("ResponseTagHeader", "x key", "ResponseTagHeader: 'x key' is not a header name; use letters, digits and '-' (e.g. xkey or Surrogate-Key).")]
    [InlineData("ResponseTagSeparator", ";", "ResponseTagSeparator: must be a space or a comma.")]
    [InlineData("ResponseTagHeaderLimit", "100", "ResponseTagHeaderLimit: must be between 256 and 65,536 bytes.")]
    [InlineData("EscalationThreshold", "-1", "EscalationThreshold: must be 0 (off) or more.")]
    public void Each_problem_reads_as_one_message_naming_the_setting(string setting, string value, string message)
    {
        var settings = Varnish("http://127.0.0.1:6081");
        object target = typeof(CachePurgeCacheSettings).GetProperty(setting) is null ? settings : settings.Caches[0];
        var property = target.GetType().GetProperty(setting);
        property.SetValue(target, Convert.ChangeType(value, property.PropertyType, System.Globalization.CultureInfo.InvariantCulture));

        var errors = TestServices.CreateSettingsService().Validate(settings, new FakeSiteService().Site);

        Assert.Equal([message], errors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData(20, new string[0])]
    [InlineData(21, new[] { "Caches: at most 20 caches can be configured; there are 21." })]
    [InlineData(300, new[] { "Caches: at most 20 caches can be configured; there are 300." })]
    public void At_most_twenty_caches_are_accepted(int count, string[] errors)
    {
        var settings = new CachePurgeSettings
        {
            Caches = [.. Enumerable.Range(0, count).Select(i => new CachePurgeCacheSettings { Name = $"varnish{i}", BaseUrl = "http://127.0.0.1:6081" })],
        };

        Assert.Equal(errors, TestServices.CreateSettingsService().Validate(settings, new FakeSiteService().Site).Select(e => e.ToString()));
    }

    [Theory]
    [InlineData(CacheKind.Nginx, "", "PURGE", "{path}", "/purge")]
    [InlineData(CacheKind.Nginx, "/cache-purge", "", "", "/cache-purge")]
    [InlineData(CacheKind.Generic, "", "", "", "/purge")]
    [InlineData(CacheKind.Generic, "", "BAN", "/x{path}", "/purge")]
    public void Empty_kind_settings_take_their_defaults(CacheKind kind, string prefix, string method, string template, string enginePrefix)
    {
        var settings = Varnish("http://127.0.0.1:6081");
        (settings.Caches[0].Kind, settings.Caches[0].PurgePathPrefix, settings.Caches[0].Method, settings.Caches[0].PathTemplate) = (kind, prefix, method, template);
        var service = TestServices.CreateSettingsService();

        var endpoint = service.ToOptions(settings, new FakeSiteService().Site, unprotectSecrets: false).Endpoints[0];

        Assert.Empty(service.Validate(settings, new FakeSiteService().Site));
        Assert.Equal(
            (enginePrefix, method.Length > 0 ? method : "PURGE", template.Length > 0 ? template : "{path}"),
            (endpoint.PurgePathPrefix, endpoint.Method, endpoint.PathTemplate));
    }

    [Fact]
    public void Cache_url_that_is_not_http_is_refused_naming_the_field()
    {
        var service = TestServices.CreateSettingsService();
        var settings = Varnish("ftp://127.0.0.1:6081");

        var error = Assert.Single(service.Validate(settings, new FakeSiteService().Site));

        Assert.Equal("Caches[0].BaseUrl", error.Field);
        Assert.Contains("'ftp://127.0.0.1:6081' is not an http:// or https:// URL", error.Message);
    }

    [Fact]
    public void Valid_settings_have_no_errors_and_take_the_host_of_the_base_url()
    {
        var service = TestServices.CreateSettingsService();
        var site = new FakeSiteService().Site;

        Assert.Empty(service.Validate(Varnish("http://127.0.0.1:6081"), site));
        Assert.Equal(["www.example.com"], service.ToOptions(Varnish("http://127.0.0.1:6081"), site, unprotectSecrets: true).SiteHosts);
    }

    [Fact]
    public void Base_url_with_a_port_gives_a_host_with_that_port()
    {
        var siteService = new FakeSiteService();
        siteService.Site.BaseUrl = "http://localhost:6081/";

        var options = TestServices.CreateSettingsService(siteService).ToOptions(Varnish("http://127.0.0.1:6081"), siteService.Site, unprotectSecrets: true);

        Assert.Equal(["localhost:6081"], options.SiteHosts);
    }

    [Fact]
    public void Without_host_names_or_base_url_the_error_says_where_to_set_them()
    {
        var siteService = new FakeSiteService();
        siteService.Site.BaseUrl = null;

        var error = Assert.Single(TestServices.CreateSettingsService(siteService).Validate(Varnish("http://127.0.0.1:6081"), siteService.Site));

        Assert.Equal("SiteHosts", error.Field);
        Assert.Contains("base URL", error.Message);
    }

    [Fact]
    public void Configured_host_names_win_over_the_base_url()
    {
        var settings = Varnish("http://127.0.0.1:6081");
        settings.SiteHosts = ["www.example.org", " cdn.example.org "];

        var options = TestServices.CreateSettingsService().ToOptions(settings, new FakeSiteService().Site, unprotectSecrets: true);

        Assert.Equal(["www.example.org", "cdn.example.org"], options.SiteHosts);
    }

    [Fact]
    public void Same_header_twice_is_refused_on_the_second()
    {
        var settings = Varnish("http://127.0.0.1:6081");
        settings.Caches[0].Headers = [new() { Name = "X-Token", Value = "a" }, new() { Name = "x-token", Value = "b" }];

        var error = Assert.Single(TestServices.CreateSettingsService().Validate(settings, new FakeSiteService().Site));

        Assert.Equal(("Caches[0].Headers[1]", "the header 'x-token' is given twice."), (error.Field, error.Message));
    }

    [Fact]
    public void Journal_is_kept_in_the_tenant_app_data()
    {
        var path = TestServices.CreateSettingsService().JournalPath;

        Assert.Equal(Path.Combine("/srv/site/App_Data", "Sites", "Default", "CachePurge", "journal.db"), path);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("blog", "/blog")]
    public void Tenant_url_prefix_is_the_path_base(string prefix, string pathBase) =>
        Assert.Equal(pathBase, TestServices.CreateSettingsService(urlPrefix: prefix).PathBase);

    [Fact]
    public async Task Disabled_settings_give_no_engine_options()
    {
        var siteService = new FakeSiteService();
        var settings = Varnish("http://127.0.0.1:6081");
        settings.Enabled = false;
        siteService.Site.Put(settings);

        Assert.Null(await TestServices.CreateSettingsService(siteService).GetOptionsAsync());
    }

    private static CachePurgeSettings Varnish(string url) => new()
    {
        Caches = [new() { Name = "varnish", BaseUrl = url, Kind = CacheKind.Varnish, TagHeader = "xkey-purge" }],
    };
}
