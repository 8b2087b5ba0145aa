using CachePurge.Module.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Autoroute.Models;
using OrchardCore.ContentManagement;
using OrchardCore.Html.Models;

namespace CachePurge.Module.Tests.Integration;

[Collection(OrchardSiteCollection.Name)]
public sealed class PurgePreviewTests(OrchardSite site)
{
    [Fact]
    public async Task Editor_shows_the_route_the_extra_urls_and_the_tag_of_the_item()
    {
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);

        var page = await admin.GetStringAsync("Admin/Contents/ContentItems/cachepurgesampleabout/Edit");

        Assert.Contains("Cache purge: what publishing this item purges", page);
        Assert.Contains("<code>/about</code>", page);
        Assert.Contains("<code>/</code>", page);
        Assert.Contains("<code>ci-Default-cachepurgesampleabout</code>", page);
        Assert.Contains("varnish", page);
    }

    [Fact]
    public async Task Editor_of_a_draft_with_a_new_slug_shows_the_new_and_the_live_route()
    {
        var id = await site.CreateAsync("Page", "preview-live", "preview", item => item.Alter<HtmlBodyPart>(p => p.Html = "<p>preview</p>"));
        await site.InTenantAsync(async services =>
        {
            var contentManager = services.GetRequiredService<IContentManager>();
            var draft = await contentManager.GetAsync(id, VersionOptions.DraftRequired);
            draft.Alter<AutoroutePart>(p => p.Path = "preview-draft");
            await contentManager.UpdateAsync(draft);
            await contentManager.SaveDraftAsync(draft);
        });
        await site.WhenPurgedAsync();
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);

        var page = await admin.GetStringAsync($"Admin/Contents/ContentItems/{id}/Edit");

        Assert.Contains("<code>/preview-draft</code>", page);
        Assert.Contains("<code>/preview-live</code>", page);
        Assert.Contains("live version", page);
    }

    [Theory]
    [InlineData("cachepurgesampleabout", "Shared caches keep it 1 day (s-maxage=86400), by the rule for content type Page; browsers 1 minute.")]
    [InlineData("cachepurgesamplehome", "Shared caches keep it 5 minutes (s-maxage=300), by the home page rule; browsers 1 minute.")]
    public async Task Editor_shows_how_long_caches_keep_the_items_page_and_the_rule_that_said_so(string id, string text)
    {
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);

        var page = await admin.GetStringAsync($"Admin/Contents/ContentItems/{id}/Edit");

        Assert.Contains(text, page);
        Assert.Contains("While the site fails, caches may serve it up to 1 day past that.", page);
    }

    [Fact]
    public async Task Editor_of_an_item_of_a_type_without_a_rule_shows_the_path_rule_or_the_site_default()
    {
        await site.EnsureFormPageTypeAsync();
        var underFeeds = await site.CreateAsync("FormPage", "feeds/preview-form", "preview form");
        var elsewhere = await site.CreateAsync("FormPage", "preview-form", "preview form");
        var before = await site.GetPolicyAsync();
        try
        {
            await site.UpdatePolicyAsync(p => p.Paths = [new() { Match = "/feeds", Seconds = 0 }]);
            using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);

            Assert.Contains("Shared caches do not keep it, by the path rule /feeds.", await admin.GetStringAsync($"Admin/Contents/ContentItems/{underFeeds}/Edit"));
            Assert.Contains("Shared caches keep it 10 minutes (s-maxage=600), by the site default", await admin.GetStringAsync($"Admin/Contents/ContentItems/{elsewhere}/Edit"));
        }
        finally
        {
            await site.RestorePolicyAsync(before);
        }
    }
}
