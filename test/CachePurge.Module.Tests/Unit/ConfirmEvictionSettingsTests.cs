using System.Text.Json;
using CachePurge.Module.Drivers;
using CachePurge.Module.Models;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Module.ViewModels;

namespace CachePurge.Module.Tests.Unit;

public sealed class ConfirmEvictionSettingsTests
{
    [Fact]
    public void The_form_switch_reaches_the_engine_endpoint()
    {
        var model = new CachePurgeSettingsViewModel
        {
            SiteHosts = "www.example.com",
            Caches = [new() { Name = "varnish", BaseUrl = "http://127.0.0.1:6081", TimeoutSeconds = 10, MaxConcurrency = 16, ConfirmEviction = true }],
        };

        var (settings, _, errors) = CachePurgeSettingsDisplayDriver.FromViewModel(model, new PassThroughLocalizer<CachePurgeSettingsDisplayDriver>());
        var options = TestServices.CreateSettingsService().ToOptions(settings, null, unprotectSecrets: false);

        Assert.Empty(errors);
        Assert.True(settings.Caches[0].ConfirmEviction);
        Assert.True(options.Endpoints[0].ConfirmEviction);
    }

    [Fact]
    public void The_recipe_step_and_the_export_carry_the_switch()
    {
        // The recipe step reads, and the deployment step writes, the settings object as it is.
        var settings = JsonSerializer.Deserialize<CachePurgeSettings>(
            """{ "Caches": [ { "Name": "varnish", "BaseUrl": "http://127.0.0.1:6081", "ConfirmEviction": true } ] }""",
            new JsonSerializerOptions(JsonSerializerDefaults.Web));

        Assert.True(settings.Caches[0].ConfirmEviction);
        Assert.Contains("\"ConfirmEviction\":true", JsonSerializer.Serialize(settings));
    }
}
