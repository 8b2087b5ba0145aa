using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Module.Tests.Integration;
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
}
