using CachePurge.Module.Tests.Infrastructure;

namespace CachePurge.Module.Tests.Integration;

/// <summary>The tag header at the origin; Varnish strips it before answering, so these GET the site directly.</summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class ContentTagTests(OrchardSite site)
{
    [Fact]
    public async Task A_page_carries_the_tag_of_its_item_and_the_site_tag()
    {
        var tags = await GetOriginTagsAsync("/about");

        Assert.Contains("ci-Default-cachepurgesampleabout", tags);
        Assert.Contains("site-Default", tags);
    }

    [Fact]
    public async Task Admin_pages_carry_no_tag_header()
    {
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);

        using var response = await admin.GetAsync("Admin/Contents/ContentItems");

        Assert.True(response.IsSuccessStatusCode);
        Assert.False(response.Headers.Contains("xkey"));
    }

    [Fact]
    public async Task Admin_pages_carry_no_tag_header_even_when_anonymous()
    {
        using var client = new HttpClient { BaseAddress = site.BaseUrl };

        using var response = await client.GetAsync("Login");

        Assert.False(response.Headers.Contains("xkey"));
    }

    private async Task<string[]> GetOriginTagsAsync(string path)
    {
        using var client = new HttpClient { BaseAddress = site.BaseUrl };
        using var response = await client.GetAsync(path.TrimStart('/'));
        Assert.Equal(200, (int)response.StatusCode);
        return response.Headers.TryGetValues("xkey", out var values) ? string.Join(' ', values).Split(' ') : [];
    }
}
