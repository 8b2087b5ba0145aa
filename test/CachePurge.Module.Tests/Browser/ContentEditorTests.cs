using CachePurge.Module.Models;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Module.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OrchardCore.ContentManagement;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CachePurge.Module.Tests.Browser;

[Collection(OrchardSiteCollection.Name)]
public sealed class ContentEditorTests(OrchardSite site, Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task Purge_preview_opens_to_show_the_items_pages_and_tag()
    {
        await using var browser = await BrowserPage.SignedInAsync(chromium, site, output, nameof(Purge_preview_opens_to_show_the_items_pages_and_tag));
        var page = browser.Page;
        await browser.GotoAsync("Admin/Contents/ContentItems/cachepurgesampleabout/Edit");

        var preview = page.Locator("details.cachepurge-preview");
        await Expect(preview.GetByText("/about", new() { Exact = true })).Not.ToBeVisibleAsync();
        await preview.GetByText("Cache purge: what publishing this item purges").ClickAsync();

        await Expect(preview.Locator("code").GetByText("/about", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(preview.Locator("code").GetByText("/", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(preview.Locator("code").GetByText("ci-Default-cachepurgesampleabout", new() { Exact = true })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(preview, "panel");
    }

    [Fact]
    public async Task An_off_site_url_in_the_cache_tab_is_refused_on_publish_with_its_line()
    {
        var id = await site.CreateAsync("Page", "browser-extra-urls", "browser extra urls");
        await using var browser = await BrowserPage.SignedInAsync(chromium, site, output, nameof(An_off_site_url_in_the_cache_tab_is_refused_on_publish_with_its_line));
        var page = browser.Page;
        await browser.GotoAsync($"Admin/Contents/ContentItems/{id}/Edit");

        var cacheTab = await OpenCacheTabAsync(page);
        await cacheTab.GetByLabel("Also purge these pages").FillAsync("/news\nhttps://elsewhere.example.org/news");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish", Exact = true }).ClickAsync();

        // The editor comes back with the message above the tabs, and again under the lines in the "Cache" tab.
        const string message = "line 2: https://elsewhere.example.org/news is not on this site";
        await Expect(page.Locator(".validation-summary-errors").GetByText(message)).ToBeVisibleAsync();
        cacheTab = await OpenCacheTabAsync(page);
        await Expect(cacheTab.GetByText(message)).ToBeVisibleAsync();
        await Expect(cacheTab.GetByLabel("Also purge these pages")).ToHaveValueAsync("/news\nhttps://elsewhere.example.org/news");
        await site.InTenantAsync(async services =>
        {
            var published = await services.GetRequiredService<IContentManager>().GetAsync(id, VersionOptions.Published);
            Assert.DoesNotContain("https://elsewhere.example.org/news", published.TryGet<PurgeUrlsPart>(out var part) ? part.Urls : []);
        });
    }

    /// <summary>
    /// Opens the editor's "Cache" tab and waits until it is shown: Playwright calls a pane that is still fading in
    /// (opacity 0) visible, which a person would not.
    /// </summary>
    private static async Task<ILocator> OpenCacheTabAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Tab, new() { Name = "Cache" }).ClickAsync();
        var pane = page.GetByRole(AriaRole.Tabpanel).Filter(new() { Has = page.GetByLabel("Also purge these pages") });
        await Expect(pane).ToHaveCSSAsync("opacity", "1");
        return pane;
    }
}
