using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Module.Tests.Integration;
using CachePurge.Testing;
using CachePurge.Testing.Cdn;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CachePurge.Module.Tests.Browser;

[Collection(OrchardSiteCollection.Name)]
public sealed class SettingsPageTests(OrchardSite site, Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task A_new_cache_with_an_ftp_url_is_refused_with_its_message_beside_the_url_and_nothing_is_saved()
    {
        var before = await site.GetSettingsAsync();
        await using var browser = await BrowserPage.SignedInAsync(chromium, site, output, nameof(A_new_cache_with_an_ftp_url_is_refused_with_its_message_beside_the_url_and_nothing_is_saved), width: 1100);
        var page = browser.Page;
        try
        {
            await browser.GotoAsync("Admin/Settings/CachePurge");

            // The page ends with one empty cache: filling it in is how a cache is added.
            var newCache = page.Locator("[data-cachepurge-cache]").Filter(new() { Has = page.GetByText("New cache", new() { Exact = true }) });
            await newCache.GetByLabel("Name").FillAsync("ftp-cache");
            await newCache.GetByLabel("URL of the cache").FillAsync("ftp://127.0.0.1:21");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

            // The form comes back with the cache as typed and the reason under its URL.
            var refused = page.Locator("[data-cachepurge-cache]").Filter(new() { Has = page.Locator("input[value='ftp-cache']") });
            await Expect(refused.GetByLabel("URL of the cache")).ToHaveValueAsync("ftp://127.0.0.1:21");
            await Expect(refused.GetByText("'ftp://127.0.0.1:21' is not an http:// or https:// URL.")).ToBeVisibleAsync();
            await browser.ScreenshotAsync(refused, "refused-cache");

            var after = await site.GetSettingsAsync();
            Assert.Equal(before.Caches.Select(c => (c.Name, c.BaseUrl)), after.Caches.Select(c => (c.Name, c.BaseUrl)));
        }
        finally
        {
            await site.RestoreSettingsAsync(before);
        }
    }

    [Fact]
    public async Task Cloudflare_picked_as_the_kind_shows_its_fields_and_its_token_is_saved_write_only_and_used()
    {
        var before = await site.GetSettingsAsync();
        var token = "tok-" + Guid.NewGuid().ToString("N");
        await using var server = await CloudflareContractServer.StartAsync(token, CloudflareContractLimits.Pro);
        await using var browser = await BrowserPage.SignedInAsync(chromium, site, output, nameof(Cloudflare_picked_as_the_kind_shows_its_fields_and_its_token_is_saved_write_only_and_used), width: 1100);
        var page = browser.Page;
        try
        {
            await browser.GotoAsync("Admin/Settings/CachePurge");

            // Picking the kind swaps Varnish's fields for Cloudflare's.
            var newCache = page.Locator("[data-cachepurge-cache]").Filter(new() { Has = page.GetByText("New cache", new() { Exact = true }) });
            await newCache.GetByLabel("Kind").SelectOptionAsync("Cloudflare");
            await Expect(newCache.GetByLabel("Tag purge header")).ToHaveCountAsync(0);
            await newCache.GetByLabel("Name").FillAsync("cloudflare");
            await newCache.GetByLabel("URL of the cache").FillAsync(server.BaseUrl.ToString().TrimEnd('/'));
            await newCache.GetByLabel("Zone id", new() { Exact = true }).FillAsync(server.ZoneId);
            await newCache.GetByLabel("API token", new() { Exact = true }).FillAsync(token);
            await newCache.GetByLabel("Plan", new() { Exact = true }).SelectOptionAsync("Pro");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

            // Saved: the token field is empty, and says that a token is stored.
            var saved = page.Locator("[data-cachepurge-cache]").Filter(new() { Has = page.Locator("input[value='cloudflare']") });
            await Expect(saved.GetByLabel("API token", new() { Exact = true })).ToHaveValueAsync("");
            await Expect(saved.GetByText("A token is stored, encrypted")).ToBeVisibleAsync();
            await browser.ScreenshotAsync(saved, "cloudflare-cache");
            Assert.DoesNotContain(token, await page.ContentAsync());

            await site.CreateAsync("Page", "cdn-browser", "Saved in a browser");
            await Eventually.WaitUntilAsync(() => server.Purged("files").Contains($"https://{OrchardSite.Host}/cdn-browser"), seconds: 20);
        }
        finally
        {
            await site.RestoreSettingsAsync(before);
        }
    }
}
