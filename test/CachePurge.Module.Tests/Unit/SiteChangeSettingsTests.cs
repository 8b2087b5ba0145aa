using System.Reflection;
using CachePurge.Module.Drivers;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Module.ViewModels;
using Microsoft.Extensions.DependencyInjection;

namespace CachePurge.Module.Tests.Unit;

/// <summary>The switches of the "Site-wide changes" section: one per kind, on by default, kept by the page and the recipe step.</summary>
public sealed class SiteChangeSettingsTests
{
    [Theory]
    [InlineData(SiteChangeKind.Templates)]
    [InlineData(SiteChangeKind.Layers)]
    [InlineData(SiteChangeKind.SiteSettings)]
    [InlineData(SiteChangeKind.Theme)]
    [InlineData(SiteChangeKind.Features)]
    [InlineData(SiteChangeKind.Placements)]
    public void Each_kind_has_its_own_switch_and_only_it_turns_that_kind_off(SiteChangeKind kind)
    {
        var switches = new CachePurgeSiteChangeSettings();
        Assert.True(switches.Purges(kind));

        typeof(CachePurgeSiteChangeSettings).GetProperty(kind.ToString(), BindingFlags.Public | BindingFlags.Instance)!.SetValue(switches, false);

        Assert.Equal(Enum.GetValues<SiteChangeKind>().Where(k => k != kind), Enum.GetValues<SiteChangeKind>().Where(switches.Purges));
    }

    [Fact]
    public void A_recipe_asking_for_a_purge_is_never_switched_off()
    {
        var everythingOff = new CachePurgeSiteChangeSettings
        {
            Templates = false, Layers = false, SiteSettings = false, Theme = false, Features = false, Placements = false,
        };

        Assert.Equal([SiteChangeKind.Requested], Enum.GetValues<SiteChangeKind>().Where(everythingOff.Purges));
    }

    [Fact]
    public void The_settings_page_saves_a_switch_turned_off()
    {
        var model = new CachePurgeSettingsViewModel { SiteChanges = new() { Layers = false } };

        var (settings, _, errors) = CachePurgeSettingsDisplayDriver.FromViewModel(model, new PassThroughLocalizer<CachePurgeSettingsDisplayDriver>());

        Assert.Empty(errors);
        Assert.False(settings.SiteChanges.Layers);
        Assert.True(settings.SiteChanges.Templates);
    }

    [Fact]
    public async Task The_recipe_step_saves_a_switch_turned_off_and_leaves_the_others_on()
    {
        var (errors, stored) = await SettingsRecipeStepTests.RunAsync("""{ "SiteHosts": [ "www.example.com" ], "SiteChanges": { "Theme": false } }""");

        Assert.Empty(errors);
        Assert.False(stored.SiteChanges.Theme);
        Assert.True(stored.SiteChanges.Features);
    }

    [Theory]
    [InlineData("""{ "SiteHosts": [ "www.example.com" ] }""")]
    [InlineData("""{ "SiteHosts": [ "www.example.com" ], "SiteChanges": null }""")]
    public async Task A_recipe_without_switches_leaves_them_all_on(string json)
    {
        var (errors, stored) = await SettingsRecipeStepTests.RunAsync(json);

        Assert.Empty(errors);
        Assert.All(Enum.GetValues<SiteChangeKind>(), kind => Assert.True(stored.SiteChanges.Purges(kind)));
    }

    [Fact]
    public async Task A_switch_that_is_not_true_or_false_is_refused_in_words()
    {
        var (errors, _) = await SettingsRecipeStepTests.RunAsync("""{ "SiteChanges": { "Theme": "no" } }""");

        Assert.Equal(["CachePurgeSettings step, SiteChanges.Theme: must be true or false, not \"no\"."], errors);
    }
}
