using CachePurge.Module.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Autoroute.Models;
using OrchardCore.ContentManagement;
using OrchardCore.Html.Models;
using OrchardCore.Title.Models;

namespace CachePurge.Module.Tests.Integration;

[Collection(OrchardSiteCollection.Name)]
public sealed class ConfirmedEvictionTests
{
    private readonly OrchardSite _site;

    public ConfirmedEvictionTests(OrchardSite site)
    {
        _site = site;
    }

    [Fact]
    public async Task Operations_page_shows_a_confirmed_eviction_and_its_latency_percentiles()
    {
        await _site.UpdateSettingsAsync(s => s.Caches[0].ConfirmEviction = true);
        try
        {
            string id = null;
            await _site.InTenantAsync(async services =>
            {
                var contentManager = services.GetRequiredService<IContentManager>();
                var item = await contentManager.NewAsync("Page");
                item.DisplayText = "confirmed";
                item.Alter<TitlePart>(p => p.Title = "confirmed");
                item.Alter<AutoroutePart>(p => p.Path = "confirmed-eviction");
                item.Alter<HtmlBodyPart>(p => p.Html = "<p>first</p>");
                await contentManager.CreateAsync(item, VersionOptions.Published);
                id = item.ContentItemId;
            });
            await _site.WhenPurgedAsync();
            await _site.GetThroughCacheAsync("/confirmed-eviction");

            await _site.InTenantAsync(async services =>
            {
                var contentManager = services.GetRequiredService<IContentManager>();
                var item = await contentManager.GetAsync(id, VersionOptions.DraftRequired);
                item.Alter<HtmlBodyPart>(p => p.Html = "<p>second</p>");
                await contentManager.UpdateAsync(item);
                await contentManager.PublishAsync(item);
            });
            await _site.WhenPurgedAsync();

            using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);
            var page = await admin.GetStringAsync("Admin/CachePurge/Index");

            Assert.Matches(@"/confirmed-eviction</td>(\s*<td>[^<]*</td>){4}\s*<td>confirmed</td>", page);
            Assert.Matches(@"Confirmed evicted</td><td>\d+ ms</td><td>\d+ ms</td>", page);
        }
        finally
        {
            await _site.UpdateSettingsAsync(s => s.Caches[0].ConfirmEviction = false);
        }
    }
}
