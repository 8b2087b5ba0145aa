using CachePurge.Core;
using CachePurge.Module.Drivers;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Module.ViewModels;

namespace CachePurge.Module.Tests.Unit;

public sealed class SettingsFormTests
{
    private static readonly PassThroughLocalizer<CachePurgeSettingsDisplayDriver> S = new();

    [Fact]
    public void Rows_without_name_and_url_are_dropped_and_rows_remembered()
    {
        var model = new CachePurgeSettingsViewModel
        {
            Caches = [new(), new() { Name = "varnish", BaseUrl = "http://127.0.0.1:6081", TimeoutSeconds = 10, MaxConcurrency = 16 }],
        };

        var (settings, rows, errors) = CachePurgeSettingsDisplayDriver.FromViewModel(model, S);

        Assert.Empty(errors);
        Assert.Equal("varnish", Assert.Single(settings.Caches).Name);
        Assert.Equal([1], rows);
    }

    [Fact]
    public void Host_names_are_read_one_per_line()
    {
        var model = new CachePurgeSettingsViewModel { SiteHosts = "www.example.com\r\n\r\n  example.com  \n" };

        var (settings, _, _) = CachePurgeSettingsDisplayDriver.FromViewModel(model, S);

        Assert.Equal(["www.example.com", "example.com"], settings.SiteHosts);
    }

    [Fact]
    public void Header_lines_become_headers_and_a_line_without_colon_is_refused_by_number()
    {
        var model = new CachePurgeSettingsViewModel
        {
            Caches = [new() { Name = "cdn", BaseUrl = "https://purge.example.net", Headers = "X-Site: example\nbroken" }],
        };

        var (settings, _, errors) = CachePurgeSettingsDisplayDriver.FromViewModel(model, S);

        var header = Assert.Single(settings.Caches[0].Headers);
        Assert.Equal(("X-Site", "example", false), (header.Name, header.Value, header.Secret));
        var (field, message) = Assert.Single(errors);
        Assert.Equal("Caches[0].Headers", field);
        Assert.Equal("line 2: 'broken' is not 'Name: value'.", message);
    }

    [Fact]
    public void Refused_secret_line_is_not_echoed()
    {
        var model = new CachePurgeSettingsViewModel
        {
            Caches = [new() { Name = "cdn", BaseUrl = "https://purge.example.net", SecretHeaders = "Authorization: Bearer x\ntopsecretvalue" }],
        };

        var (settings, _, errors) = CachePurgeSettingsDisplayDriver.FromViewModel(model, S);

        Assert.True(Assert.Single(settings.Caches[0].Headers).Secret);
        var (field, message) = Assert.Single(errors);
        Assert.Equal("Caches[0].SecretHeaders", field);
        Assert.DoesNotContain("topsecretvalue", message);
    }

    /// <summary>What UpdateAsync does with a posted form: read it, check it, and name each problem by the form field.</summary>
    [Theory]
    [InlineData("Headers", "X-A: b\u00e9", "Caches[1].Headers")]
    [InlineData("Headers", "X-A: a\rb", "Caches[1].Headers")]
    [InlineData("Headers", "Host: www.example.org", "Caches[1].Headers")]
    [InlineData("Headers", "X A: 1", "Caches[1].Headers")]
    [InlineData("SecretHeaders", "X-A: b\u00e9", "Caches[1].SecretHeaders")]
    [InlineData("SecretHeaders", "X-A: a\rb", "Caches[1].SecretHeaders")]
    [InlineData("SecretHeaders", "X-A: nul\0", "Caches[1].SecretHeaders")]
    [InlineData("SecretHeaders", "Host: www.example.org", "Caches[1].SecretHeaders")]
    public void A_header_a_purge_cannot_carry_is_refused_on_the_box_it_was_typed_in(string box, string text, string formField)
    {
        var cache = new CachePurgeCacheViewModel { Name = "varnish", BaseUrl = "http://127.0.0.1:6081", TimeoutSeconds = 10, MaxConcurrency = 16, Headers = "X-Site: example" };
        typeof(CachePurgeCacheViewModel).GetProperty(box).SetValue(cache, text);
        var model = new CachePurgeSettingsViewModel { SiteHosts = "www.example.com", Caches = [new(), cache] };

        var (settings, rows, errors) = CachePurgeSettingsDisplayDriver.FromViewModel(model, S);
        var error = Assert.Single(TestServices.CreateSettingsService().Validate(settings, null));

        Assert.Empty(errors);
        Assert.Equal(formField, CachePurgeSettingsDisplayDriver.ToFormField(error.Field, rows, settings));
        Assert.DoesNotContain(text[(text.IndexOf(':') + 2)..], error.Message);
    }

    [Theory]
    [InlineData(CacheKind.Varnish, "", "", "", "xkey purge")]
    [InlineData(CacheKind.Squid, "", "", "", "")]
    [InlineData(CacheKind.Nginx, "no slash", "", "", "")]
    [InlineData(CacheKind.Generic, "", "PUR GE", "no path", "xkey purge")]
    public void Only_the_fields_of_the_cache_kind_are_read(CacheKind kind, string prefix, string method, string template, string tagHeader)
    {
        var model = new CachePurgeSettingsViewModel
        {
            SiteHosts = "www.example.com",
            Caches =
            [
                new()
                {
                    Name = "cache", BaseUrl = "http://127.0.0.1:6081", Kind = kind, TimeoutSeconds = 10, MaxConcurrency = 16,
                    PurgePathPrefix = "no slash", Method = "PUR GE", PathTemplate = "no path", TagHeader = "xkey purge",
                },
            ],
        };

        var (settings, _, _) = CachePurgeSettingsDisplayDriver.FromViewModel(model, S);

        var cache = settings.Caches[0];
        Assert.Equal((prefix, method, template, tagHeader), (cache.PurgePathPrefix, cache.Method, cache.PathTemplate, cache.TagHeader));
    }

    [Fact]
    public void A_squid_cache_posted_with_fields_of_other_kinds_is_accepted()
    {
        var model = new CachePurgeSettingsViewModel
        {
            SiteHosts = "www.example.com",
            Caches =
            [
                new()
                {
                    Name = "squid", BaseUrl = "http://127.0.0.1:3128", Kind = CacheKind.Squid, TimeoutSeconds = 10, MaxConcurrency = 16,
                    PurgePathPrefix = "no slash", Method = "PUR GE", PathTemplate = "no path", TagHeader = "xkey purge",
                },
            ],
        };

        var (settings, _, errors) = CachePurgeSettingsDisplayDriver.FromViewModel(model, S);

        Assert.Empty(errors);
        Assert.Empty(TestServices.CreateSettingsService().Validate(settings, null));
    }
}
