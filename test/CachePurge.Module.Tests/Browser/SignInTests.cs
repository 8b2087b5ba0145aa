using System.Text.RegularExpressions;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Module.Tests.Integration;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CachePurge.Module.Tests.Browser;

[Collection(OrchardSiteCollection.Name)]
public sealed class SignInTests(OrchardSite site, Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task Signing_in_through_the_login_form_leads_back_to_the_operations_page()
    {
        await using var browser = await BrowserPage.SignedOutAsync(chromium, site, output, nameof(Signing_in_through_the_login_form_leads_back_to_the_operations_page));
        var page = browser.Page;

        await browser.GotoAsync("Admin/CachePurge/Index");
        await Expect(page).ToHaveURLAsync(new Regex("/Login\\?ReturnUrl="));

        await Chromium.LogInAsync(page);

        await Expect(page).ToHaveURLAsync(new Uri(site.BaseUrl, "Admin/CachePurge/Index").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cache Purge", Level = 1 })).ToBeVisibleAsync();
    }
}
