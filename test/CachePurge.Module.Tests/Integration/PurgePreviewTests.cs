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
}
