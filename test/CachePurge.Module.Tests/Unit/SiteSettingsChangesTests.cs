using System.Text.Json.Nodes;
using CachePurge.Module.Models;
using CachePurge.Module.Services;

namespace CachePurge.Module.Tests.Unit;

/// <summary>Which kind of site-wide change an update of the site settings is, by what it changed.</summary>
public sealed class SiteSettingsChangesTests
{
    [Theory]
    [InlineData("SiteName", SiteChangeKind.SiteSettings)]
    [InlineData("HomeRoute", SiteChangeKind.SiteSettings)]
    [InlineData("Properties.LayerSettings", SiteChangeKind.SiteSettings)]
    [InlineData("Properties.CurrentThemeName", SiteChangeKind.Theme)]
    [InlineData("Properties.CurrentAdminThemeName", null)]
    [InlineData("Properties.CachePurgeSettings", null)]
    [InlineData("Properties.CachePolicySettings", null)]
    [InlineData("Identifier", null)]
    public void A_change_of_one_setting_is_of_its_kind(string setting, SiteChangeKind? kind)
    {
        var before = Site();
        var after = Site();
        var (parent, name) = setting.StartsWith("Properties.", StringComparison.Ordinal)
            ? (after["Properties"]!.AsObject(), setting["Properties.".Length..])
            : (after, setting);
        parent[name] = "changed";

        var kinds = SiteSettingsChanges.Compare(before, after);

        Assert.Equal(kind is null ? [] : [kind.Value], kinds);
    }

    [Fact]
    public void Settings_saved_unchanged_are_no_change_whatever_the_order_of_their_properties()
    {
        var before = Site();
        var after = new JsonObject();
        foreach (var (name, value) in before.Reverse())
        {
            after[name] = value?.DeepClone();
        }

        Assert.Empty(SiteSettingsChanges.Compare(before, after));
    }

    [Fact]
    public void A_section_added_or_removed_is_a_change()
    {
        var before = Site();
        var after = Site();
        after["Properties"]!.AsObject().Remove("LayerSettings");
        after["Properties"]!["SeoSettings"] = new JsonObject { ["Robots"] = "index" };

        Assert.Equal([SiteChangeKind.SiteSettings], SiteSettingsChanges.Compare(before, after));
    }

    [Fact]
    public void The_theme_and_the_site_name_changed_together_are_two_kinds()
    {
        var before = Site();
        var after = Site();
        after["SiteName"] = "Another name";
        after["Properties"]!["CurrentThemeName"] = "SafeMode";

        Assert.Equal([SiteChangeKind.SiteSettings, SiteChangeKind.Theme], SiteSettingsChanges.Compare(before, after).Order());
    }

    private static JsonObject Site() => new()
    {
        ["Identifier"] = "4x2k9",
        ["SiteName"] = "Cache Purge tests",
        ["PageSize"] = 10,
        ["HomeRoute"] = new JsonObject { ["Area"] = "OrchardCore.Contents", ["ContentItemId"] = "home" },
        ["Properties"] = new JsonObject
        {
            ["CurrentThemeName"] = "TheTheme",
            ["CurrentAdminThemeName"] = "TheAdmin",
            ["LayerSettings"] = new JsonObject { ["Zones"] = new JsonArray("Content", "Footer") },
            ["CachePurgeSettings"] = new JsonObject { ["Enabled"] = true },
            ["CachePolicySettings"] = new JsonObject { ["DefaultSeconds"] = 600 },
        },
    };
}
