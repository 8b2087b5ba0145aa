using CachePurge.Module.Tests.Infrastructure;
using OrchardCore.ContentManagement;
using OrchardCore.Html.Models;

namespace CachePurge.Module.Tests.Integration;

[Collection(OrchardSiteCollection.Name)]
public sealed class ConfirmedEvictionTests(OrchardSite site)
{
    [Fact]
    public async Task Operations_page_shows_a_confirmed_eviction_and_its_latency_percentiles()
    {
        await site.UpdateSettingsAsync(s => s.Caches[0].ConfirmEviction = true);
        try
        {
            var id = await site.CreateAsync("Page", "confirmed-eviction", "confirmed", item => item.Alter<HtmlBodyPart>(p => p.Html = "<p>first</p>"));
            await site.GetThroughCacheAsync("/confirmed-eviction");

            await site.PublishEditAsync(id, item => item.Alter<HtmlBodyPart>(p => p.Html = "<p>second</p>"));
            await site.WhenPurgedAsync();

            using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
            var page = await admin.GetStringAsync("Admin/CachePurge/Index");

            Assert.Matches(@"/confirmed-eviction</td>(\s*<td>[^<]*</td>){2}\s*<td class=""outcome"">\s*purged\s*</td>\s*<td>[^<]*</td>\s*<td>confirmed</td>", page);
            Assert.Matches(@"Confirmed evicted</td><td>\d+ ms</td><td>\d+ ms</td>", page);
        }
        finally
        {
            await site.UpdateSettingsAsync(s => s.Caches[0].ConfirmEviction = false);
        }
    }
}
