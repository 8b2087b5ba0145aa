using CachePurge.Core;
using CachePurge.Module.Models;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Module.Tests.Integration;
using CachePurge.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CachePurge.Module.Tests.Browser;

[Collection(OrchardSiteCollection.Name)]
public sealed class OperationsPageTests(OrchardSite site, Chromium chromium, ITestOutputHelper output)
{
    private const string OperationsPage = "Admin/CachePurge/Index";

    [Fact]
    public async Task Test_shows_the_answer_of_the_cache_to_a_purge_of_the_probe_page()
    {
        await using var browser = await BrowserPage.SignedInAsync(chromium, site, output, nameof(Test_shows_the_answer_of_the_cache_to_a_purge_of_the_probe_page), height: 1300);
        var page = browser.Page;
        await browser.GotoAsync(OperationsPage);

        await page.Locator("[data-cache='varnish']").GetByRole(AriaRole.Link, new() { Name = "Test", Exact = true }).ClickAsync();

        var answer = page.Locator("h3:text-is('Answer of the cache') + .table-responsive table tbody tr");
        await Expect(answer).ToHaveCountAsync(1);
        await Expect(answer.Locator("td").Nth(1)).ToHaveTextAsync("varnish");
        await Expect(answer.Locator("td").Nth(2)).ToHaveTextAsync("/cachepurge-probe");
        await Expect(answer.Locator("td.outcome")).ToHaveTextAsync("purged");
    }

    [Fact]
    public async Task Publishing_a_new_page_in_the_editor_shows_its_purge_under_recent_requests()
    {
        var slug = $"browser-published-{Guid.NewGuid():N}"[..26];
        await using var browser = await BrowserPage.SignedInAsync(chromium, site, output, nameof(Publishing_a_new_page_in_the_editor_shows_its_purge_under_recent_requests));
        var page = browser.Page;
        await browser.GotoAsync("Admin/Contents/ContentTypes/Page/Create");

        // The sample's Page makes its path from the title.
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync(slug.Replace('-', ' '));
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Your Page has been published.")).ToBeVisibleAsync();
        await site.WhenPurgedAsync();

        await browser.GotoAsync(OperationsPage);

        var row = page.Locator("h3:text-is('Recent requests') + .table-responsive table tbody tr").Filter(new() { Has = page.Locator($"td:text-is('/{slug}')") });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("varnish");
        await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync(OrchardSite.Host);
    }

    [Fact]
    public async Task While_purges_wait_for_a_cache_that_is_down_the_status_counts_them_down_without_a_reload()
    {
        await using var standby = await VarnishServer.StartAsync(site.BaseUrl.Port, OrchardSite.PolicyVcl);
        var cache = new CachePurgeCacheSettings { Name = "standby", BaseUrl = standby.BaseUrl.ToString().TrimEnd('/'), Kind = CacheKind.Varnish, TimeoutSeconds = 2 };
        await site.UpdateSettingsAsync(s => s.Caches = [.. s.Caches.Where(c => c.Name != "standby"), cache]);
        try
        {
            await standby.StopAsync();
            await using var browser = await BrowserPage.SignedInAsync(chromium, site, output, nameof(While_purges_wait_for_a_cache_that_is_down_the_status_counts_them_down_without_a_reload), height: 1400);
            var page = browser.Page;
            await browser.GotoAsync(OperationsPage);
            await page.GetByLabel("Pages", new() { Exact = true }).FillAsync(string.Join("\n", Enumerable.Range(0, 5).Select(i => $"/waiting/{i}")));
            await page.GetByRole(AriaRole.Button, new() { Name = "Purge", Exact = true }).ClickAsync();

            var status = page.GetByRole(AriaRole.Status);
            await Expect(status.Locator("[data-pending-for='standby']")).ToHaveTextAsync("standby: 5 waiting");

            // The health is read when the page loads: once the cache has failed, the page loaded again shows it.
            var lastError = page.Locator("[data-health='standby'] [data-last-error]");
            for (var deadline = DateTime.UtcNow.AddSeconds(30); !(await lastError.TextContentAsync())!.Contains("Connection refused", StringComparison.Ordinal);)
            {
                Assert.True(DateTime.UtcNow < deadline, "no error shown for the stopped cache in 30 s");
                await Task.Delay(500);
                await browser.GotoAsync(OperationsPage);
            }
            await browser.ScreenshotAsync(page.Locator("ul.list-group").First, "health");

            // The page is not loaded again: a mark left on it stays while the status reads the engine again.
            await page.EvaluateAsync("window.cachePurgeMark = 1");
            await standby.StartAsync();

            await Expect(status).ToHaveTextAsync("Nothing is waiting: every purge was sent.", new() { Timeout = 60_000 });
            Assert.Equal(1, await page.EvaluateAsync<int>("window.cachePurgeMark"));
        }
        finally
        {
            await site.UpdateSettingsAsync(s => s.Caches = [.. s.Caches.Where(c => c.Name != "standby")]);
        }
    }
}
