using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CachePurge.Module.Models;
using CachePurge.Module.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Autoroute.Models;
using OrchardCore.ContentManagement;
using OrchardCore.ContentManagement.Metadata;
using OrchardCore.ContentManagement.Metadata.Settings;
using OrchardCore.Environment.Shell;
using OrchardCore.Html.Models;
using OrchardCore.Templates.Models;
using OrchardCore.Templates.Services;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// Changes other than content that can change every page: each purges every page once it is saved, and the page comes
/// back with the change. They are made as a site owner makes them, on the admin pages or by importing a recipe.
/// </summary>
[Collection(OrchardSiteCollection.Name)]
public sealed partial class SiteWideChangeTests(OrchardSite site)
{
    private const string PageType = "SiteWidePage";
    private const string SiteName = "Cache Purge tests";

    [Fact]
    public async Task Saving_a_template_makes_a_cached_page_a_miss_showing_the_template()
    {
        await PrepareAsync("OrchardCore.Templates");
        var path = await CreatePageAsync("SiteWideTemplatePage", "sitewide-template", "text before the template");
        await AssertCachedAsync(path, "text before the template");

        await site.ImportAsync(Recipe(TemplateStep("SiteWideTemplatePage", "<p>text of the template</p>")));

        await AssertMissAsync(path, "text of the template");
    }

    [Fact]
    public async Task Turning_on_a_layer_rule_makes_a_cached_page_a_miss_showing_the_widget_of_the_layer()
    {
        await PrepareLayersAsync();
        await site.ImportAsync(Recipe(LayerStep("SiteWideRuleLayer", false), WidgetStep("sitewiderulewidget", "SiteWideRuleLayer", "text of the rule widget")));
        var path = await CreatePageAsync(PageType, "sitewide-layer-rule", "a page under a layer rule");
        await AssertCachedAsync(path, "a page under a layer rule", absent: "text of the rule widget");

        await site.ImportAsync(Recipe(LayerStep("SiteWideRuleLayer", true)));

        await AssertMissAsync(path, "text of the rule widget");
    }

    [Fact]
    public async Task Publishing_a_widget_into_a_shown_layer_in_its_editor_makes_a_cached_page_a_miss_showing_it()
    {
        await PrepareLayersAsync();
        await site.ImportAsync(Recipe(
            LayerStep("SiteWideHiddenLayer", false),
            LayerStep("SiteWideShownLayer", true),
            WidgetStep("sitewidemovedwidget", "SiteWideHiddenLayer", "text of the moved widget")));
        var path = await CreatePageAsync(PageType, "sitewide-widget-layer", "a page under a moved widget");
        await AssertCachedAsync(path, "a page under a moved widget", absent: "text of the moved widget");

        // The page never showed the widget, so it carries no tag of it: only a purge of everything takes it out.
        await MoveWidgetAsync("sitewidemovedwidget", "SiteWideShownLayer");

        await AssertMissAsync(path, "text of the moved widget");
    }

    [Fact]
    public async Task Renaming_the_site_on_the_general_settings_page_makes_a_cached_page_a_miss_with_the_new_name_in_its_title()
    {
        await PrepareAsync();
        var path = await CreatePageAsync(PageType, "sitewide-site-name", "a page titled with the site name");
        await AssertCachedAsync(path, $"<title>{SiteName} - ");

        try
        {
            await RenameSiteAsync("Renamed cache test site");

            await AssertMissAsync(path, "<title>Renamed cache test site - ");
        }
        finally
        {
            await RenameSiteAsync(SiteName);
        }
    }

    [Fact]
    public async Task Selecting_another_theme_on_the_themes_page_makes_a_cached_page_a_miss_in_that_theme()
    {
        // Enabled first, so that selecting it changes the theme and no feature.
        await PrepareAsync("SafeMode");
        var path = await CreatePageAsync(PageType, "sitewide-theme", "a page in another theme");
        await AssertCachedAsync(path, "a page in another theme", absent: "SAFE MODE");

        try
        {
            await SelectThemeAsync("SafeMode");

            await AssertMissAsync(path, "SAFE MODE");
        }
        finally
        {
            await SelectThemeAsync("TheTheme");
        }
    }

    [Fact]
    public async Task Disabling_a_feature_makes_a_cached_page_a_miss_without_what_the_feature_rendered()
    {
        await PrepareAsync("OrchardCore.Templates");
        await site.ImportAsync(Recipe(TemplateStep("SiteWideFeaturePage", "<p>text of a template while templates are on</p>")));
        var path = await CreatePageAsync("SiteWideFeaturePage", "sitewide-feature", "text under the template");
        await AssertCachedAsync(path, "text of a template while templates are on");

        try
        {
            await site.ImportAsync(Recipe(FeatureStep(disable: "OrchardCore.Templates")));

            var body = await AssertMissAsync(path, "text under the template");
            Assert.DoesNotContain("text of a template while templates are on", body);
        }
        finally
        {
            await site.EnableFeaturesAsync("OrchardCore.Templates");
        }
    }

    [Fact]
    public async Task Saving_a_placement_makes_a_cached_page_a_miss_laid_out_by_it()
    {
        await PrepareAsync("OrchardCore.Placements");
        var path = await CreatePageAsync("SiteWidePlacementPage", "sitewide-placement", "text a placement hides");
        await AssertCachedAsync(path, "text a placement hides");

        await site.ImportAsync(Recipe(PlacementStep("HtmlBodyPart", "SiteWidePlacementPage")));

        var body = await AssertMissAsync(path, "sitewide-placement");
        Assert.DoesNotContain("text a placement hides", body);
    }

    /// <summary>Each kind of change has its own switch in the settings; turned off, that change purges nothing.</summary>
    [Theory]
    [InlineData(SiteChangeKind.Templates)]
    [InlineData(SiteChangeKind.Layers)]
    [InlineData(SiteChangeKind.SiteSettings)]
    [InlineData(SiteChangeKind.Theme)]
    [InlineData(SiteChangeKind.Features)]
    [InlineData(SiteChangeKind.Placements)]
    public async Task A_change_whose_switch_is_off_leaves_a_cached_page_a_hit(SiteChangeKind kind)
    {
        await PrepareAsync("OrchardCore.Templates", "OrchardCore.Placements", "SafeMode");
        await PrepareLayersAsync();
        await site.ImportAsync(Recipe(LayerStep("SiteWideSwitchLayer", false)));
        var path = await CreatePageAsync(PageType, $"sitewide-off-{kind}".ToLowerInvariant(), $"a page that stays cached after a change of {kind}");
        var before = await site.GetSettingsAsync();
        await site.UpdateSettingsAsync(s => s.SiteChanges = SwitchedOff(kind));

        try
        {
            await AssertCachedAsync(path, "a page that stays cached");

            await ChangeAsync(kind, undo: false);
            await site.WhenPurgedAsync();

            Assert.True((await site.GetThroughCacheAsync(path)).Hit, $"A change of {kind} purged the page although its switch is off.");
        }
        finally
        {
            await ChangeAsync(kind, undo: true);
            await site.RestoreSettingsAsync(before);
        }
    }

    [Fact]
    public async Task An_import_that_changes_a_template_a_placement_and_the_site_name_purges_everything_once()
    {
        await PrepareAsync("OrchardCore.Templates", "OrchardCore.Placements");
        var path = await CreatePageAsync(PageType, "sitewide-once", "a page purged once");
        await AssertCachedAsync(path, "a page purged once");

        try
        {
            var purges = await CountPurgesAsync(() => site.ImportAsync(Recipe(
                TemplateStep("SiteWideOnceUnusedType", "<p>a template</p>"),
                PlacementStep("SiteWideOnceUnusedShape", "SiteWideOnceUnusedType"),
                SettingsStep("Imported cache test site"))));

            Assert.Equal(1, purges);
            await AssertMissAsync(path, "<title>Imported cache test site - ");
        }
        finally
        {
            await site.ImportAsync(Recipe(SettingsStep(SiteName)));
        }
    }

    [Fact]
    public async Task Settings_page_shows_a_checked_switch_per_kind_and_saves_one_a_browser_unchecks()
    {
        var before = await site.GetSettingsAsync();
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync("Admin/Settings/CachePurge");

        Assert.Contains("""<h2 class="h4 mb-0">Site-wide changes</h2>""", page);
        foreach (var kind in new[] { "Templates", "Layers", "SiteSettings", "Theme", "Features", "Placements" })
        {
            Assert.Matches($"""<input (?=[^>]*type="checkbox")(?=[^>]*checked="checked")(?=[^>]*name="[^"]*\.SiteChanges\.{kind}")[^>]*>""", page);
        }

        // An unchecked box posts only the hidden "false" that ASP.NET Core writes for it.
        var form = AdminBrowser.FormFields(page, "/Admin/Settings/CachePurge");
        form.RemoveAll(f => f.Key.EndsWith(".SiteChanges.Placements", StringComparison.Ordinal) && f.Value == "true");

        try
        {
            using var saved = await admin.PostMultipartAsync("Admin/Settings/CachePurge", form);

            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            var switches = (await site.GetSettingsAsync()).SiteChanges;
            Assert.Equal([SiteChangeKind.Placements], Enum.GetValues<SiteChangeKind>().Where(k => !switches.Purges(k)));
        }
        finally
        {
            await site.RestoreSettingsAsync(before);
        }
    }

    [Fact]
    public async Task Saving_the_cache_purge_settings_page_purges_nothing()
    {
        await PrepareAsync();
        var path = await CreatePageAsync(PageType, "sitewide-own-settings", "a page kept while the purge settings are saved");
        await AssertCachedAsync(path, "a page kept");

        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync("Admin/Settings/CachePurge");
        using var saved = await admin.PostAsync("Admin/Settings/CachePurge", AdminPageTests.SettingsForm(page, site.Varnish.BaseUrl.ToString().TrimEnd('/')));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        await site.WhenPurgedAsync();

        Assert.True((await site.GetThroughCacheAsync(path)).Hit);
    }

    [Fact]
    public async Task A_tenant_restart_alone_purges_nothing()
    {
        await PrepareAsync();
        var path = await CreatePageAsync(PageType, "sitewide-restart", "a page kept across a restart");
        await AssertCachedAsync(path, "a page kept");

        await site.InTenantAsync(services => services.GetRequiredService<IShellHost>().ReleaseShellContextAsync(services.GetRequiredService<ShellSettings>()));
        using (var client = new HttpClient { BaseAddress = site.BaseUrl })
        {
            // The next request builds and starts the new tenant.
            (await client.GetAsync(path.TrimStart('/'))).EnsureSuccessStatusCode();
        }

        await site.WhenPurgedAsync();

        Assert.True((await site.GetThroughCacheAsync(path)).Hit);
    }

    [Fact]
    public async Task A_request_that_fails_after_saving_a_template_purges_nothing()
    {
        await PrepareAsync("OrchardCore.Templates");
        var path = await CreatePageAsync(PageType, "sitewide-failed", "a page kept when a request fails");
        await AssertCachedAsync(path, "a page kept");

        await Assert.ThrowsAsync<InvalidOperationException>(() => site.InTenantAsync(async services =>
        {
            await services.GetRequiredService<TemplatesManager>().UpdateTemplateAsync("Content__SiteWideFailedType", new Template { Content = "<p>never saved</p>" });
            throw new InvalidOperationException("The request fails after saving the template.");
        }));
        await site.WhenPurgedAsync();

        Assert.True((await site.GetThroughCacheAsync(path)).Hit);
    }

    /// <summary>Enables what a test needs before it caches its page: enabling a feature purges everything too.</summary>
    private async Task PrepareAsync(params string[] features)
    {
        foreach (var feature in features.Prepend("OrchardCore.Deployment"))
        {
            await site.EnableFeaturesAsync(feature);
        }
    }

    private async Task PrepareLayersAsync()
    {
        await PrepareAsync("OrchardCore.Layers");
        await site.InTenantAsync(services => services.GetRequiredService<IContentDefinitionManager>().AlterTypeDefinitionAsync("SiteWideWidget", type => type
            .Stereotype("Widget")
            .WithPart("HtmlBodyPart")));
    }

    private async Task<string> CreatePageAsync(string type, string path, string text)
    {
        await site.InTenantAsync(services => services.GetRequiredService<IContentDefinitionManager>().AlterTypeDefinitionAsync(type, definition => definition
            .WithPart("TitlePart")
            .WithPart("AutoroutePart", part => part.WithSettings(new AutoroutePartSettings { AllowCustomPath = true }))
            .WithPart("HtmlBodyPart")));
        await site.CreateAsync(type, path, path, item => item.Alter<HtmlBodyPart>(p => p.Html = $"<p>{text}</p>"));
        return "/" + path;
    }

    private async Task AssertCachedAsync(string path, string text, string absent = null)
    {
        var (_, status, body) = await site.GetThroughCacheAsync(path);
        Assert.Equal(200, status);
        Assert.Contains(text, body);
        if (absent is not null)
        {
            Assert.DoesNotContain(absent, body);
        }

        Assert.True((await site.GetThroughCacheAsync(path)).Hit, $"The second GET of {path} should be a cache hit.");
    }

    private async Task<string> AssertMissAsync(string path, string text)
    {
        await site.WhenPurgedAsync();
        var (hit, status, body) = await site.GetThroughCacheAsync(path);
        Assert.False(hit, $"{path} is still cached after the change.");
        Assert.Equal(200, status);
        Assert.Contains(text, body);
        return body;
    }

    /// <summary>How many purges of everything <paramref name="action"/> made on the default tenant.</summary>
    private static async Task<int> CountPurgesAsync(Func<Task> action)
    {
        var purges = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "CachePurge" && instrument.Name == "cachepurge.site_changes")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "cachepurge.site" && Equals(tag.Value, ShellSettings.DefaultShellName))
                {
                    Interlocked.Add(ref purges, (int)value);
                }
            }
        });
        listener.Start();

        await action();
        return Volatile.Read(ref purges);
    }

    /// <summary>One change of <paramref name="kind"/> that no other test depends on, or its undoing.</summary>
    private Task ChangeAsync(SiteChangeKind kind, bool undo) => kind switch
    {
        SiteChangeKind.Templates => site.ImportAsync(Recipe(TemplateStep("SiteWideSwitchUnusedType", undo ? "<p>before</p>" : "<p>after</p>"))),
        SiteChangeKind.Layers => site.ImportAsync(Recipe(LayerStep("SiteWideSwitchLayer", !undo))),
        SiteChangeKind.SiteSettings => RenameSiteAsync(undo ? SiteName : "Switched off cache test site"),
        SiteChangeKind.Theme => SelectThemeAsync(undo ? "TheTheme" : "SafeMode"),
        SiteChangeKind.Features => undo
            ? site.ImportAsync(Recipe(FeatureStep(disable: "OrchardCore.AdminTemplates")))
            : site.ImportAsync(Recipe(FeatureStep(enable: "OrchardCore.AdminTemplates"))),
        SiteChangeKind.Placements => site.ImportAsync(Recipe(PlacementStep("SiteWideSwitchUnusedShape", undo ? "SiteWideSwitchUnusedType" : "SiteWideSwitchOtherType"))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static CachePurgeSiteChangeSettings SwitchedOff(SiteChangeKind kind)
    {
        var switches = new CachePurgeSiteChangeSettings();
        typeof(CachePurgeSiteChangeSettings).GetProperty(kind.ToString())!.SetValue(switches, false);
        return switches;
    }

    /// <summary>Changes the site name on Settings → General, as an administrator does.</summary>
    private async Task RenameSiteAsync(string name)
    {
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync("Admin/Settings/general");
        var action = SettingsFormAction().Match(page).Groups[1].Value;
        var fields = AdminBrowser.FormFields(page, action);
        var index = fields.FindIndex(f => f.Key.EndsWith("SiteName", StringComparison.Ordinal));
        fields[index] = new(fields[index].Key, name);

        using var saved = await admin.PostMultipartAsync(WebUtility.HtmlDecode(action), fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
    }

    /// <summary>Makes <paramref name="theme"/> the site's theme on Design → Themes, as an administrator does.</summary>
    private async Task SelectThemeAsync(string theme)
    {
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync("Admin/Themes");
        using var selected = await admin.PostAsync($"Admin/Themes/SetCurrentTheme/{theme}", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(page),
        });
        Assert.Equal(HttpStatusCode.Redirect, selected.StatusCode);
    }

    /// <summary>Moves a widget to another layer in its editor and publishes it, as an editor does.</summary>
    private async Task MoveWidgetAsync(string widgetId, string layer)
    {
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        using var published = await admin.PublishInEditorAsync(widgetId, fields => AdminBrowser.SetField(fields, "LayerMetadata.Layer", layer));
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
    }

    private static string Recipe(params JsonObject[] steps) => new JsonObject { ["steps"] = new JsonArray(steps) }.ToJsonString();

    private static JsonObject TemplateStep(string contentType, string liquid) => new()
    {
        ["name"] = "Templates",
        ["Templates"] = new JsonObject { [$"Content__{contentType}"] = new JsonObject { ["Content"] = liquid, ["Description"] = "" } },
    };

    private static JsonObject PlacementStep(string shape, string contentType) => new()
    {
        ["name"] = "Placements",
        ["Placements"] = new JsonObject { [shape] = new JsonArray(new JsonObject { ["place"] = "-", ["contentType"] = new JsonArray(contentType) }) },
    };

    private static JsonObject SettingsStep(string siteName) => new() { ["name"] = "Settings", ["SiteName"] = siteName };

    private static JsonObject FeatureStep(string enable = null, string disable = null) => new()
    {
        ["name"] = "Feature",
        ["enable"] = enable is null ? new JsonArray() : new JsonArray(enable),
        ["disable"] = disable is null ? new JsonArray() : new JsonArray(disable),
    };

    private static JsonObject LayerStep(string name, bool shown) => new()
    {
        ["name"] = "Layers",
        ["Layers"] = new JsonArray(new JsonObject
        {
            ["Name"] = name,
            ["LayerRule"] = new JsonObject
            {
                ["Conditions"] = new JsonArray(new JsonObject
                {
                    ["$type"] = "OrchardCore.Rules.Models.BooleanCondition, OrchardCore.Rules",
                    ["Name"] = "BooleanCondition",
                    ["Value"] = shown,
                    ["ConditionId"] = name + "-condition",
                }),
            },
        }),
    };

    private static JsonObject WidgetStep(string id, string layer, string text) => new()
    {
        ["name"] = "content",
        ["data"] = new JsonArray(new JsonObject
        {
            ["ContentItemId"] = id,
            ["ContentType"] = "SiteWideWidget",
            ["DisplayText"] = id,
            ["Latest"] = true,
            ["Published"] = true,
            ["HtmlBodyPart"] = new JsonObject { ["Html"] = $"<p>{text}</p>" },
            ["LayerMetadata"] = new JsonObject { ["Layer"] = layer, ["Zone"] = "Footer", ["Position"] = 1, ["RenderTitle"] = false },
        }),
    };

    [GeneratedRegex("<form[^>]*action=\"(/Admin/Settings/general[^\"]*)\"")]
    private static partial Regex SettingsFormAction();
}
