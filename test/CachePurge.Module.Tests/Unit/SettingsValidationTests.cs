using CachePurge.Core;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.Tests.Infrastructure;
using OrchardCore.Entities;

namespace CachePurge.Module.Tests.Unit;

public sealed class SettingsValidationTests
{
    [Theory]
    [InlineData("Endpoints[0].BaseUrl", "Caches[0].BaseUrl")]
    [InlineData("Endpoints[1].Timeout", "Caches[1].TimeoutSeconds")]
    [InlineData("Endpoints[0].Headers", "Caches[0].Headers")]
    [InlineData("Endpoints[2].Headers[X-Token]", "Caches[2].Headers")]
    [InlineData("SiteHosts[3]", "SiteHosts")]
    [InlineData("SiteHosts", "SiteHosts")]
    [InlineData("EscalationThreshold", "EscalationThreshold")]
    public void Engine_fields_are_named_as_the_settings_name_them(string engineField, string settingsField) =>
        Assert.Equal(settingsField, CachePurgeSettingsService.ToSettingsField(engineField));

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
    public void Same_header_twice_is_refused()
    {
        var settings = Varnish("http://127.0.0.1:6081");
        settings.Caches[0].Headers = [new() { Name = "X-Token", Value = "a" }, new() { Name = "x-token", Value = "b" }];

        var error = Assert.Single(TestServices.CreateSettingsService().Validate(settings, new FakeSiteService().Site));

        Assert.Equal("Caches[0].Headers", error.Field);
    }

    [Fact]
    public void Timeout_out_of_range_is_refused_on_the_seconds_field()
    {
        var settings = Varnish("http://127.0.0.1:6081");
        settings.Caches[0].TimeoutSeconds = 0;

        var error = Assert.Single(TestServices.CreateSettingsService().Validate(settings, new FakeSiteService().Site));

        Assert.Equal("Caches[0].TimeoutSeconds", error.Field);
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
