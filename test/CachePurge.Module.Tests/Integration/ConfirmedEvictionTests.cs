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
            var id = await _site.CreateAsync("Page", "confirmed-eviction", "confirmed", item => item.Alter<HtmlBodyPart>(p => p.Html = "<p>first</p>"));
            await _site.GetThroughCacheAsync("/confirmed-eviction");

            await _site.PublishEditAsync(id, item => item.Alter<HtmlBodyPart>(p => p.Html = "<p>second</p>"));
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
