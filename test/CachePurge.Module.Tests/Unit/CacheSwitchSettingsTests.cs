using System.Text.Json;
using CachePurge.Module.Drivers;
using CachePurge.Module.Models;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Module.ViewModels;

namespace CachePurge.Module.Tests.Unit;

/// <summary>The per-cache switches (confirm eviction, pipelining) on their way from the form, recipes and stored settings to the engine.</summary>
public sealed class CacheSwitchSettingsTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void The_form_switches_reach_the_engine_endpoint()
    {
        var model = new CachePurgeSettingsViewModel
        {
            SiteHosts = "www.example.com",
            Caches = [new() { Name = "varnish", BaseUrl = "http://127.0.0.1:6081", TimeoutSeconds = 10, MaxConcurrency = 16, ConfirmEviction = true, Pipelining = false }],
        };

        var (settings, _, errors) = CachePurgeSettingsDisplayDriver.FromViewModel(model, new PassThroughLocalizer<CachePurgeSettingsDisplayDriver>());
        var options = TestServices.CreateSettingsService().ToOptions(settings, null, unprotectSecrets: false);

        Assert.Empty(errors);
        Assert.True(settings.Caches[0].ConfirmEviction);
        Assert.True(options.Endpoints[0].ConfirmEviction);
        Assert.False(settings.Caches[0].Pipelining);
        Assert.False(options.Endpoints[0].Pipelining);
    }

    [Fact]
    public void The_recipe_step_and_the_export_carry_the_switches()
    {
        // The recipe step reads, and the deployment step writes, the settings object as it is.
        var settings = JsonSerializer.Deserialize<CachePurgeSettings>(
            """{ "Caches": [ { "Name": "varnish", "BaseUrl": "http://127.0.0.1:6081", "ConfirmEviction": true, "Pipelining": false } ] }""", Web)!;

        Assert.True(settings.Caches[0].ConfirmEviction);
        Assert.False(settings.Caches[0].Pipelining);
        Assert.Contains("\"ConfirmEviction\":true", JsonSerializer.Serialize(settings));
        Assert.Contains("\"Pipelining\":false", JsonSerializer.Serialize(settings));
    }

    [Fact]
    public void Settings_saved_before_pipelining_existed_send_with_it_on()
    {
        var settings = JsonSerializer.Deserialize<CachePurgeSettings>("""{ "Caches": [ { "Name": "varnish", "BaseUrl": "http://127.0.0.1:6081" } ] }""", Web)!;

        var options = TestServices.CreateSettingsService().ToOptions(settings, null, unprotectSecrets: false);

        Assert.True(options.Endpoints[0].Pipelining);
    }
}
