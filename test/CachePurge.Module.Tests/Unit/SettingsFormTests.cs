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
}
