using System.Text.Json;
using System.Text.Json.Nodes;
using CachePurge.Core;
using CachePurge.Module.Drivers;
using CachePurge.Module.Models;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Module.ViewModels;
using OrchardCore.Entities;
using OrchardCore.Settings;

namespace CachePurge.Module.Tests.Unit;

/// <summary>The per-cache switches (confirm eviction, HTTP/2) on their way from the form, recipes and stored settings to the engine.</summary>
public sealed class CacheSwitchSettingsTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void The_form_switches_reach_the_engine_endpoint()
    {
        var model = new CachePurgeSettingsViewModel
        {
            SiteHosts = "www.example.com",
            Caches = [new() { Name = "varnish", BaseUrl = "http://127.0.0.1:6081", TimeoutSeconds = 10, MaxConcurrency = 16, ConfirmEviction = true, Http2 = true }],
        };

        var (settings, _, errors) = CachePurgeSettingsDisplayDriver.FromViewModel(model, new PassThroughLocalizer<CachePurgeSettingsDisplayDriver>());
        var options = TestServices.CreateSettingsService().ToOptions(settings, null, unprotectSecrets: false);

        Assert.Empty(errors);
        Assert.True(settings.Caches[0].ConfirmEviction);
        Assert.True(options.Endpoints[0].ConfirmEviction);
        Assert.True(settings.Caches[0].Http2);
        Assert.True(options.Endpoints[0].Http2);
    }

    [Fact]
    public void The_recipe_step_and_the_export_carry_the_switches()
    {
        // The recipe step reads, and the deployment step writes, the settings object as it is.
        var settings = JsonSerializer.Deserialize<CachePurgeSettings>(
            """{ "Caches": [ { "Name": "varnish", "BaseUrl": "http://127.0.0.1:6081", "ConfirmEviction": true, "Http2": true } ] }""", Web)!;

        Assert.True(settings.Caches[0].ConfirmEviction);
        Assert.True(settings.Caches[0].Http2);
        Assert.Contains("\"ConfirmEviction\":true", JsonSerializer.Serialize(settings));
        Assert.Contains("\"Http2\":true", JsonSerializer.Serialize(settings));
    }

    [Theory]
    [InlineData(CacheKind.Varnish, true)]
    [InlineData(CacheKind.Squid, false)]
    [InlineData(CacheKind.Generic, false)]
    public void Soft_purge_from_the_form_reaches_a_varnish_endpoint_and_is_ignored_for_other_kinds(CacheKind kind, bool soft)
    {
        // The page shows the switch on Varnish rows only; a value posted for another kind is ignored.
        var model = new CachePurgeSettingsViewModel
        {
            SiteHosts = "www.example.com",
            Caches = [new() { Name = "c", BaseUrl = "http://127.0.0.1:6081", Kind = kind, TimeoutSeconds = 10, MaxConcurrency = 16, SoftPurge = true }],
        };

        var (settings, _, errors) = CachePurgeSettingsDisplayDriver.FromViewModel(model, new PassThroughLocalizer<CachePurgeSettingsDisplayDriver>());
        var options = TestServices.CreateSettingsService().ToOptions(settings, null, unprotectSecrets: false);

        Assert.Empty(errors);
        Assert.Equal(soft, settings.Caches[0].SoftPurge);
        Assert.Equal(soft, options.Endpoints[0].SoftPurge);
    }

    [Fact]
    public void Soft_purge_is_off_by_default_and_exported_when_on()
    {
        var old = JsonSerializer.Deserialize<CachePurgeSettings>("""{ "Caches": [ { "Name": "varnish", "BaseUrl": "http://127.0.0.1:6081" } ] }""", Web)!;
        var soft = JsonSerializer.Deserialize<CachePurgeSettings>("""{ "Caches": [ { "Name": "varnish", "BaseUrl": "http://127.0.0.1:6081", "SoftPurge": true } ] }""", Web)!;

        Assert.False(TestServices.CreateSettingsService().ToOptions(old, null, unprotectSecrets: false).Endpoints[0].SoftPurge);
        Assert.True(TestServices.CreateSettingsService().ToOptions(soft, null, unprotectSecrets: false).Endpoints[0].SoftPurge);
        Assert.Contains("\"SoftPurge\":true", JsonSerializer.Serialize(soft));
    }

    [Fact]
    public void Settings_saved_without_the_switch_send_over_http_1_1()
    {
        var settings = JsonSerializer.Deserialize<CachePurgeSettings>("""{ "Caches": [ { "Name": "varnish", "BaseUrl": "http://127.0.0.1:6081" } ] }""", Web)!;

        var options = TestServices.CreateSettingsService().ToOptions(settings, null, unprotectSecrets: false);

        Assert.False(options.Endpoints[0].Http2);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public void Stored_settings_with_the_former_pipelining_switch_still_load_and_ignore_it(string pipelining)
    {
        // As Orchard Core reads the site settings document: the part stored under its type name.
        var site = new SiteSettings();
        site.Properties[nameof(CachePurgeSettings)] = JsonNode.Parse(
            $$"""{ "Enabled": true, "Caches": [ { "Name": "varnish", "BaseUrl": "http://127.0.0.1:6081", "Kind": "Varnish", "Pipelining": {{pipelining}} } ] }""");

        Assert.True(site.TryGet<CachePurgeSettings>(out var settings));
        var options = TestServices.CreateSettingsService().ToOptions(settings, site, unprotectSecrets: false);

        Assert.Equal("varnish", options.Endpoints[0].Name);
        Assert.False(options.Endpoints[0].Http2);
        Assert.DoesNotContain("Pipelining", JsonSerializer.Serialize(settings));
    }
}
